package dev.chaosagent.build;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step, run on the shaded agent jar: adds the class pack that the agent's own class loader
 * ({@code dev.chaosagent.AgentClassLoader}) reads at start-up. The pack is one uncompressed entry:
 * {@code int magic, int count, int indexLength}, the index ({@code count × (u2 nameLength, ASCII
 * binary name, int length)}), then the class files in index order. It holds the agent's classes (the bootstrap ones included, which the agent defines into
 * the bootstrap loader from these bytes), slf4j and Byte Buddy's ASM; not the entry point, which
 * the system class loader loads, nor the CLI or the rest of Byte Buddy, which start-up never
 * needs and which the agent's loader reads from their own entries when something does.
 *
 * <p>It also moves the bootstrap classes' own entries ({@code dev/chaosagent/bootstrap/*.class})
 * under {@value #BOOT}: the JVM puts the agent jar on the system class path, and the agent defines
 * those classes in the bootstrap loader only when it first needs them, so until then a lookup of
 * one by name through the system class loader would find it there and define a second,
 * separate dispatcher. Where no class loader looks, the agent alone reads them.
 *
 * <p>And it moves the rest of Byte Buddy (what is not its ASM) out of the jar's directory into
 * one more stored entry, {@value #LIBRARY}: the same layout, but each index item is {@code u2
 * nameLength, ASCII binary name, int storedLength, int length} and each class file is deflated
 * (raw DEFLATE, as in a zip entry). The JVM reads an agent jar's whole directory at start-up
 * (the system class loader's {@code ZipFile} builds its table of every entry, interpreted): with
 * Byte Buddy's 2,500 entries in it that cost 8 ms of every JVM's start, for classes that only the
 * weaver's type descriptions (annotation targets, enum return values) ever load. The agent's loader
 * reads the library's index when it first needs one of them.
 *
 * <p>Usage: {@code ClassPacker <jar>}; the jar is rewritten in place, every entry kept in order
 * but those moved. Packing a packed jar again gives the same jar.
 */
public final class ClassPacker {
    static final String PACK = "META-INF/chaos-agent/classes.pack";
    static final int MAGIC = 0x43415031;
    static final String LIBRARY = "META-INF/chaos-agent/library.pack";
    /** The library pack's first four bytes, {@code "CAL1"}. */
    static final int LIBRARY_MAGIC = 0x43414C31;
    /** Moved into the library pack: Byte Buddy, except its ASM (the start pack's, see {@link #packs}). */
    private static final String LIBRARY_CLASSES = "dev/chaosagent/shaded/net/bytebuddy/";
    /** Where the bootstrap classes' entries go: their class-path names under this prefix. */
    static final String BOOT = "META-INF/chaos-agent/boot/";
    private static final String BOOTSTRAP_CLASSES = "dev/chaosagent/bootstrap/";

    private ClassPacker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassPacker <agent jar>");
        }
        Path jar = Path.of(args[0]);
        Path out = jar.resolveSibling(jar.getFileName() + ".packing");
        int packed;
        int moved;
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            List<? extends ZipEntry> entries = Collections.list(in.entries());
            Map<String, byte[]> library = new TreeMap<>(); // class entry name to class file
            for (ZipEntry e : entries) {
                if (e.getName().equals(LIBRARY)) {
                    library.putAll(readLibrary(read(in, e))); // packing a jar again: its library's classes are moved again
                } else if (movesToLibrary(e.getName()) && !e.isDirectory()) {
                    library.put(e.getName(), read(in, e));
                }
            }
            List<String> names = new ArrayList<>();
            List<byte[]> classes = new ArrayList<>();
            long time = -1;
            for (ZipEntry e : entries) {
                if (e.getName().equals(PACK) || e.getName().equals(LIBRARY) || movesToLibrary(e.getName())
                        || e.isDirectory() && e.getName().startsWith(LIBRARY_CLASSES) && !holdsEntries(e.getName(), entries)) {
                    continue; // packing a jar again replaces its packs; a directory left empty goes too
                }
                byte[] bytes = read(in, e);
                String name = e.getName();
                if (name.startsWith(BOOTSTRAP_CLASSES)) {
                    if (!name.endsWith(".class")) {
                        continue; // the package's directory entry: nothing is left in it
                    }
                    name = BOOT + name;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
                if (time < 0) {
                    time = e.getTime();
                }
                String classEntry = name.startsWith(BOOT) ? name.substring(BOOT.length()) : name;
                if (packs(classEntry)) {
                    names.add(className(classEntry));
                    classes.add(bytes);
                }
            }
            putStored(zip, PACK, pack(names, classes), time);
            putStored(zip, LIBRARY, library(library), time);
            packed = names.size();
            moved = library.size();
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[class-pack] " + packed + " classes packed into " + PACK + " and " + moved + " moved into " + LIBRARY
                + " of " + jar);
    }

    /** A stored entry: so a class's bytes are one skip and one read away. */
    private static void putStored(ZipOutputStream zip, String name, byte[] bytes, long time) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        entry.setTime(time);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Whether an entry leaves the jar's directory for the library pack: Byte Buddy's, except what the start pack holds. */
    static boolean movesToLibrary(String entry) {
        return entry.startsWith(LIBRARY_CLASSES) && entry.endsWith(".class") && !packs(entry);
    }

    /** Whether a directory entry still has an entry under it once the library's classes are moved. */
    private static boolean holdsEntries(String directory, List<? extends ZipEntry> entries) {
        for (ZipEntry e : entries) {
            if (!e.isDirectory() && e.getName().startsWith(directory) && !movesToLibrary(e.getName())) {
                return true;
            }
        }
        return false;
    }

    private static String className(String classEntry) {
        return classEntry.substring(0, classEntry.length() - ".class".length()).replace('/', '.');
    }

    /** Which classes start-up may need: ours (not the entry point's, the CLI's or the JUnit extension's), slf4j, ASM. */
    static boolean packs(String entry) {
        if (!entry.endsWith(".class") || !entry.startsWith("dev/chaosagent/")) {
            return false;
        }
        String name = entry.substring("dev/chaosagent/".length());
        if (name.startsWith("ChaosAgent") || name.startsWith("AgentEntry") || name.startsWith("AgentClassLoader")
                || name.startsWith("cli/") || name.startsWith("junit/")) {
            return false;
        }
        if (name.startsWith("shaded/net/bytebuddy/")) {
            String rest = name.substring("shaded/net/bytebuddy/".length());
            return rest.startsWith("jar/asm/") && rest.indexOf('/', "jar/asm/".length()) < 0;
        }
        return true;
    }

    private static byte[] pack(List<String> names, List<byte[]> classes) throws IOException {
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(index)) {
            for (int i = 0; i < names.size(); i++) {
                writeName(out, names.get(i));
                out.writeInt(classes.get(i).length);
                bodies.write(classes.get(i));
            }
        }
        return assemble(MAGIC, names.size(), index, bodies);
    }

    /** The library pack: as {@link #pack}, each class file deflated and its index item giving both lengths. */
    private static byte[] library(Map<String, byte[]> classes) throws IOException {
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (DataOutputStream out = new DataOutputStream(index)) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                deflater.reset();
                deflater.setInput(c.getValue());
                deflater.finish();
                ByteArrayOutputStream deflated = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                while (!deflater.finished()) {
                    deflated.write(buffer, 0, deflater.deflate(buffer));
                }
                writeName(out, className(c.getKey()));
                out.writeInt(deflated.size());
                out.writeInt(c.getValue().length);
                deflated.writeTo(bodies);
            }
        } finally {
            deflater.end();
        }
        return assemble(LIBRARY_MAGIC, classes.size(), index, bodies);
    }

    /** An index item's name: {@code u2} length, then the binary name in ASCII. */
    private static void writeName(DataOutputStream out, String className) throws IOException {
        byte[] name = className.getBytes(StandardCharsets.US_ASCII);
        if (!new String(name, StandardCharsets.US_ASCII).equals(className) || name.length > 0xFFFF) {
            throw new IOException("class name not packable (ASCII, under 64 KiB): " + className);
        }
        out.writeShort(name.length);
        out.write(name);
    }

    /** A pack's bytes: {@code int magic, int count, int indexLength}, the index, the class files. */
    private static byte[] assemble(int magic, int count, ByteArrayOutputStream index, ByteArrayOutputStream bodies) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(index.size());
            index.writeTo(out);
            bodies.writeTo(out);
        }
        return buffer.toByteArray();
    }

    /** A library pack read back: class entry name to class file. */
    static Map<String, byte[]> readLibrary(byte[] pack) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(pack));
        if (in.readInt() != LIBRARY_MAGIC) {
            throw new IOException(LIBRARY + " is not a library pack");
        }
        int count = in.readInt();
        in.readInt(); // the index's length
        List<String> names = new ArrayList<>();
        int[][] lengths = new int[count][];
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            names.add(new String(name, StandardCharsets.US_ASCII).replace('.', '/') + ".class");
            lengths[i] = new int[] {in.readInt(), in.readInt()};
        }
        Map<String, byte[]> classes = new TreeMap<>();
        Inflater inflater = new Inflater(true);
        try {
            for (int i = 0; i < count; i++) {
                byte[] stored = new byte[lengths[i][0]];
                in.readFully(stored);
                byte[] bytes = new byte[lengths[i][1]];
                inflater.reset();
                inflater.setInput(stored);
                if (inflater.inflate(bytes) != bytes.length) {
                    throw new IOException(LIBRARY + ": " + names.get(i) + " does not inflate to its length");
                }
                classes.put(names.get(i), bytes);
            }
        } catch (DataFormatException e) {
            throw new IOException(LIBRARY + " is damaged: " + e, e);
        } finally {
            inflater.end();
        }
        return classes;
    }

    private static byte[] read(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
