package dev.chaosagent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.SecureClassLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the agent's own classes: every {@code dev.chaosagent.*} class except the three of the
 * entry point (this class, {@code ChaosAgent}, {@link AgentEntry}) and the bootstrap classes,
 * which the bootstrap class loader serves once {@link BootstrapDefiner} has put them there.
 *
 * <p>Why a loader of our own: start-up. Early in a JVM's life the system class loader's Java
 * code runs interpreted, and finding, reading and defining one class from a jar through it costs
 * 0.5–1 ms on this project's machines (measured: 60 agent classes in 30–45 ms), whatever the
 * jar's size; defining the same bytes from memory costs 0.13–0.2 ms a class. So the build packs
 * the classes the agent needs at start-up into one uncompressed jar entry, {@value #PACK} (an
 * index of names and lengths, then the class files; see the build's {@code ClassPacker}), and this loader reads a class's bytes from
 * it with one positioned read. A class missing from the pack (the rest of Byte Buddy, below) is
 * read from elsewhere in the jar, so the pack only ever decides how fast a class loads, never
 * which one.
 *
 * <p>The rest of Byte Buddy (all but its ASM) has no jar entries: the build moves it into
 * {@value #LIBRARY}, one stored entry of deflated class files, because the JVM reads the agent
 * jar's whole directory at start-up and 2,500 entries there cost every JVM 8 ms. Only the weaver's
 * type descriptions load those classes; the first of them reads the library's index.
 *
 * <p>It asks its parent last for our packages and first for everything else: were the system
 * loader asked first, it would find the same class files on the class path (the JVM puts an agent
 * jar there) and define a second, separate copy of the agent. For the same reason it never asks
 * its parent for the dispatcher's classes ({@code dev.chaosagent.bootstrap}): it takes them from
 * the bootstrap class loader, after having them defined there if the agent has not yet needed
 * them (see {@link #whenBootstrapNeeded}). The agent defines them at the first class it weaves, so
 * a JVM whose rules match nothing never pays for them; whatever else reaches them first (a
 * counter read over JMX) only has them defined sooner.
 *
 * <p>A development build (classes in a directory, or a jar without the pack) loads everything
 * through the system class loader as before.
 */
public final class AgentClassLoader extends SecureClassLoader {
    /** The pack's entry name in the agent jar. */
    public static final String PACK = "META-INF/chaos-agent/classes.pack";
    /** The pack's first four bytes, {@code "CAP1"}: the format's version, checked when read. */
    public static final int MAGIC = 0x43415031;
    /** The library pack's entry name: the classes the build moved out of the jar's directory. */
    public static final String LIBRARY = "META-INF/chaos-agent/library.pack";
    /** The library pack's first four bytes, {@code "CAL1"}. */
    public static final int LIBRARY_MAGIC = 0x43414C31;
    private static final String OWN_PREFIX = "dev.chaosagent.";
    private static final String BOOTSTRAP_PREFIX = "dev.chaosagent.bootstrap.";
    private static final String INSTALLER = "dev.chaosagent.AgentInstaller";
    private static final String ASM_WRITER = "dev/chaosagent/shaded/net/bytebuddy/jar/asm/ClassWriter.class";
    private static final Object LOCK = new Object();
    private static AgentEntry entry; // guarded by LOCK
    private static volatile AgentEntry handedOver;
    /** Defines the dispatcher's classes in the bootstrap class loader; idempotent. Null until the installer sets it. */
    private static volatile Runnable bootstrapDefiner;

    static {
        registerAsParallelCapable(); // a lock per class name: a thread defining the dispatcher never waits on this loader
    }

    private final ZipFile jar;
    private final ZipEntry pack;
    private final CodeSource source;
    /** Class name to {offset from the pack's start, length}. */
    private final Map<String, long[]> index;
    /** The library pack's entry, or null in a jar without one. */
    private final ZipEntry libraryEntry;
    /** The library pack, opened when a class is first missing from the start pack; null until then. */
    private volatile Library library;

    private AgentClassLoader(ZipFile jar, ZipEntry pack, CodeSource source, Map<String, long[]> index) {
        super(AgentClassLoader.class.getClassLoader()); // the system class loader, which loaded the entry point
        this.jar = jar;
        this.pack = pack;
        this.source = source;
        this.index = index;
        this.libraryEntry = jar.getEntry(LIBRARY);
    }

    /**
     * The installer, loaded (once per JVM) through a loader of this class when the agent jar has a
     * pack, through the system class loader otherwise.
     */
    static AgentEntry entry() throws Exception {
        synchronized (LOCK) {
            if (entry == null) {
                ClassLoader loader = open();
                // The installer's static initializer hands an instance over: no reflection, whose
                // first use costs tens of milliseconds of start-up on recent JDKs.
                Class.forName(INSTALLER, true, loader == null ? AgentClassLoader.class.getClassLoader() : loader);
                entry = handedOver;
                if (entry == null) {
                    throw new IllegalStateException(INSTALLER + " did not hand itself over");
                }
            }
            return entry;
        }
    }

    /** Called by the installer's static initializer; only the first call counts. */
    public static void handOver(AgentEntry installer) {
        if (handedOver == null && installer != null) {
            handedOver = installer;
        }
    }

    /**
     * Sets what defines the dispatcher's classes in the bootstrap class loader, run (from any thread)
     * before this loader hands one of them out and by {@link #needBootstrap()}. Called by the installer.
     */
    public static void whenBootstrapNeeded(Runnable definer) {
        bootstrapDefiner = definer;
    }

    /**
     * Has the running agent define its dispatcher's classes now, if an agent was installed through
     * this class (the JUnit extension needs them to record injected throwables).
     *
     * @return whether an agent is installed through this class
     */
    public static boolean needBootstrap() {
        Runnable definer = bootstrapDefiner;
        if (definer == null) {
            return false;
        }
        definer.run();
        return true;
    }

    /**
     * @return the bytes of class {@code binaryName} from the pack, or null if it is not packed
     *         (public because its callers live in this loader's runtime package, not ours)
     */
    public byte[] packed(String binaryName) throws IOException {
        long[] at = index.get(binaryName);
        if (at == null) {
            return null;
        }
        return slice(jar, pack, at[0], (int) at[1], binaryName);
    }

    /** {@code length} bytes of a stored entry from {@code offset} on: one skip, one read into an array of that length. */
    private static byte[] slice(ZipFile jar, ZipEntry entry, long offset, int length, String binaryName) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            skipFully(in, offset, entry.getName());
            byte[] bytes = new byte[length];
            if (in.readNBytes(bytes, 0, length) != length) {
                throw new IOException(entry.getName() + " ends inside " + binaryName);
            }
            return bytes;
        }
    }

    /**
     * This build's identity, for the weave cache: the CRC-32 of the class pack (the agent's own
     * classes) and of the bundled ASM's class writer (a Byte Buddy upgrade may change what it
     * writes), as the jar's directory records them.
     */
    public String build() {
        ZipEntry writer = jar.getEntry(ASM_WRITER);
        return Long.toHexString(pack.getCrc()) + "-" + Long.toHexString(pack.getSize()) + "-"
                + (writer == null ? "none" : Long.toHexString(writer.getCrc()));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(BOOTSTRAP_PREFIX)) {
            Runnable definer = bootstrapDefiner;
            if (definer != null) {
                try {
                    definer.run();
                } catch (IllegalStateException e) {
                    throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
                }
            }
            return Class.forName(name, false, null); // never a copy from the class path: the bootstrap loader's or none
        }
        if (!name.startsWith(OWN_PREFIX) || isEntryPoint(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = bytes(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                c = defineClass(name, bytes, 0, bytes.length, source);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean isEntryPoint(String name) {
        return name.equals("dev.chaosagent.ChaosAgent") || name.equals("dev.chaosagent.AgentEntry")
                || name.startsWith("dev.chaosagent.AgentClassLoader");
    }

    private byte[] bytes(String name) throws ClassNotFoundException {
        try {
            byte[] bytes = packed(name);
            if (bytes == null) {
                bytes = fromLibrary(name);
            }
            if (bytes != null) {
                return bytes;
            }
            ZipEntry e = jar.getEntry(name.replace('.', '/') + ".class");
            if (e == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
    }

    /** @return the class file of {@code binaryName} from the library pack, or null if it is not there */
    private byte[] fromLibrary(String binaryName) throws IOException {
        if (libraryEntry == null) {
            return null;
        }
        Library opened = library;
        if (opened == null) {
            synchronized (libraryEntry) {
                if (library == null) {
                    library = new Library(jar, libraryEntry);
                }
                opened = library;
            }
        }
        return opened.read(binaryName);
    }

    /**
     * The library pack's index and its reading: a class of its own, so that neither its code nor
     * the exception type it catches (which the verifier loads with the class) cost start-up
     * anything until a class is missing from the start pack.
     */
    private static final class Library {
        private final ZipFile jar;
        private final ZipEntry entry;
        /** Class name to {offset from the library's start, stored length, length}. */
        private final Map<String, long[]> index;

        Library(ZipFile jar, ZipEntry entry) throws IOException {
            this.jar = jar;
            this.entry = entry;
            this.index = readIndex(jar, entry, LIBRARY_MAGIC, true);
        }

        byte[] read(String binaryName) throws IOException {
            long[] at = index.get(binaryName);
            if (at == null) {
                return null;
            }
            byte[] stored = slice(jar, entry, at[0], (int) at[1], binaryName);
            byte[] bytes = new byte[(int) at[2]];
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(stored);
                if (inflater.inflate(bytes) != bytes.length) {
                    throw new IOException(LIBRARY + " holds less of " + binaryName + " than its index says");
                }
            } catch (DataFormatException e) {
                throw new IOException(LIBRARY + " is damaged at " + binaryName + ": " + e.getMessage(), e);
            } finally {
                inflater.end();
            }
            return bytes;
        }
    }

    /** @return a loader over the agent jar's pack, or null when there is no jar or no pack */
    private static AgentClassLoader open() throws IOException {
        ProtectionDomain domain = AgentClassLoader.class.getProtectionDomain(); // the agent jar's
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        File file;
        try {
            file = new File(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        if (!file.isFile()) {
            return null;
        }
        ZipFile jar = new ZipFile(file); // shares the open file and its directory with the system class loader
        ZipEntry pack = jar.getEntry(PACK);
        if (pack == null) {
            jar.close();
            return null;
        }
        Map<String, long[]> index = readIndex(jar, pack, MAGIC, false);
        return new AgentClassLoader(jar, pack, new CodeSource(location, (CodeSigner[]) null), index);
    }

    /**
     * A pack's index (see the build's {@code ClassPacker}): class name to {offset from the pack's
     * start, stored length}, and the class file's length after those when the pack is deflated.
     */
    private static Map<String, long[]> readIndex(ZipFile jar, ZipEntry entry, int magic, boolean deflated) throws IOException {
        Map<String, long[]> index = new HashMap<>();
        try (InputStream in = jar.getInputStream(entry)) {
            // Two reads, then parsing in memory: the entry's stream goes to the file for every read.
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || readInt(head, 0) != magic) {
                throw new IOException(entry.getName() + " in " + jar.getName() + " is not a pack this agent can read");
            }
            int count = readInt(head, 4);
            byte[] items = in.readNBytes(readInt(head, 8));
            long offset = 12L + items.length;
            int at = 0;
            for (int i = 0; i < count; i++) {
                int nameLength = (items[at] & 0xFF) << 8 | items[at + 1] & 0xFF;
                String name = new String(items, at + 2, nameLength, StandardCharsets.ISO_8859_1); // ASCII: checked when packed
                at += 2 + nameLength;
                int stored = readInt(items, at);
                if (deflated) {
                    index.put(name, new long[] {offset, stored, readInt(items, at + 4)});
                    at += 8;
                } else {
                    index.put(name, new long[] {offset, stored});
                    at += 4;
                }
                offset += stored;
            }
        }
        return index;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static void skipFully(InputStream in, long n, String entry) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                throw new IOException(entry + " is shorter than its index says");
            }
            left -= skipped;
        }
    }
}
