package dev.chaosagent.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar is tested, not trusted: its entries, its manifest, its relocated service file, and where the dispatcher lands. */
class PackagingTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void jarHoldsOnlyOurPackagesAndMetaInf() throws IOException {
        List<String> stray = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                boolean ours = n.startsWith("dev/chaosagent/") || n.equals("dev/");
                boolean meta = n.startsWith("META-INF/") && !n.startsWith("META-INF/versions/")
                        && (!n.endsWith(".class") || n.startsWith(BOOT + "dev/chaosagent/bootstrap/"));
                if (!ours && !meta) {
                    stray.add(n);
                }
            }
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/net/bytebuddy/jar/asm/ClassReader.class"));
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/org/slf4j/simple/SimpleLogger.class"));
            assertNotNull(jar.getEntry(BOOT + "dev/chaosagent/bootstrap/Dispatcher.class"));
            assertNull(jar.getEntry("dev/chaosagent/bootstrap/Dispatcher.class"), "a class loader must not find the dispatcher in the jar");
        }
        assertTrue(stray.isEmpty(), "entries outside dev/chaosagent/** and META-INF/**: " + stray);
    }

    /**
     * Byte Buddy is cut to what the agent's code can reach (the shade plugin's minimizeJar): its
     * ASM and its type pool with what they reference; classes no path from the agent reaches
     * (Byte Buddy's MethodDelegation, say) are not shipped. slf4j-simple's provider, found
     * through ServiceLoader only, is kept on purpose.
     */
    @Test
    void byteBuddyShipsOnlyWhatTheAgentReaches() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            Map<String, byte[]> library = readLibrary(jar);
            String bb = "dev.chaosagent.shaded.net.bytebuddy.";
            assertNotNull(library.get(bb + "pool.TypePool"));
            assertNotNull(library.get(bb + "dynamic.ClassFileLocator"));
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/org/slf4j/simple/SimpleServiceProvider.class"));
            assertFalse(library.containsKey(bb + "implementation.MethodDelegation"), "unreachable from the agent");
            long asm = Collections.list(jar.entries()).stream().filter(e -> e.getName().startsWith("dev/chaosagent/shaded/net/bytebuddy/")
                    && e.getName().endsWith(".class")).count();
            assertTrue(library.size() + asm < 2_800, library.size() + " + " + asm + " Byte Buddy classes: the full library has 3,091");
        }
    }

    /**
     * The JVM reads an agent jar's whole directory at start-up (the system class loader's table
     * of every entry): the build moves Byte Buddy's classes, which start-up never loads, into one
     * stored entry, so that the directory holds our classes, slf4j and ASM. Each moved class is
     * Byte Buddy's (under its relocated package), deflated whole, and nowhere else in the jar.
     */
    @Test
    void theJarsDirectoryLeavesByteBuddyToItsLibraryPack() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            List<JarEntry> entries = Collections.list(jar.entries());
            assertTrue(entries.size() < 400, entries.size() + " entries in the jar's directory");
            JarEntry entry = jar.getJarEntry(LIBRARY);
            assertNotNull(entry, "no library pack in the agent jar");
            assertEquals(ZipEntry.STORED, entry.getMethod(), "the library must be stored: a class is one skip and one read away");
            Map<String, byte[]> library = readLibrary(jar);
            assertTrue(library.size() > 1_000, library.size() + " classes in the library");
            String bb = "dev.chaosagent.shaded.net.bytebuddy.";
            String asm = bb + "jar.asm.";
            for (Map.Entry<String, byte[]> c : library.entrySet()) {
                String name = c.getKey();
                boolean startPacksIt = name.startsWith(asm) && name.indexOf('.', asm.length()) < 0; // ASM's own package
                assertTrue(name.startsWith(bb) && !startPacksIt, name + " is not the rest of Byte Buddy");
                assertNull(jar.getEntry(name.replace('.', '/') + ".class"), name + " is in the library and has an entry too");
                byte[] bytes = c.getValue();
                assertEquals(0xCAFEBABE, (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF,
                        name + " is not a class file");
                assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains(name.replace('.', '/')), name + " does not name itself");
            }
        }
    }

    /** A type description (an annotation target) loads the moved classes, through the agent's loader, from the library. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theWeaversTypeDescriptionsLoadFromTheLibraryPack(Jdk jdk) throws Exception {
        String h = FIXTURES + "hierarchy.";
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.weave.cache", "off")
                .rule("api", "@" + h + "Api#list", "exception", 1.0).jvm("-Xlog:class+load=debug:stdout").start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("hierarchy");
            String line = child.awaitLine("hierarchy", WAIT);
            assertTrue(line.contains(" Api.list=thrown Api.other=ok "), line);
            Map<String, String> loaders = loaders(child.stdoutSoFar());
            assertEquals("agent", loaders.get("dev.chaosagent.shaded.net.bytebuddy.pool.TypePool"), () -> "TypePool: " + loaders);
        }
    }

    @Test
    void manifestNamesTheEntryPointsAndCapabilities() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.chaosagent.ChaosAgent", a.getValue("Premain-Class"));
            assertEquals("dev.chaosagent.ChaosAgent", a.getValue("Agent-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
            assertEquals("true", a.getValue("Can-Redefine-Classes"));
            assertNotNull(a.getValue("Implementation-Version"));
            assertFalse(a.getValue("Implementation-Version").isBlank());
            assertEquals(null, a.getValue("Boot-Class-Path"), "Boot-Class-Path would make the JVM reject an application CDS archive");
        }
    }

    @Test
    void slf4jServiceFileIsRelocated() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            assertEquals(null, jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
            JarEntry e = jar.getJarEntry("META-INF/services/dev.chaosagent.shaded.org.slf4j.spi.SLF4JServiceProvider");
            assertNotNull(e);
            String body = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals("dev.chaosagent.shaded.org.slf4j.simple.SimpleServiceProvider", body);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void dispatcherIsInTheBootstrapLoaderWithoutAJvmWarning(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).rule("r", TARGET + "#plain", "exception", 1.0).run("loader");
        assertEquals(0, r.exitCode(), r::toString);
        // defined at the first woven class, and never findable before then, nor as a second copy from the jar
        assertEquals("none", r.field("before", "loader"), r::toString);
        assertEquals("null", r.field("after", "loader"), r::toString);
        assertFalse(r.stderr().contains("Sharing is only supported"), r::toString);
        assertFalse(r.stderr().contains("WARNING"), r::toString);
    }
    private static final String PACK = "META-INF/chaos-agent/classes.pack";
    private static final String LIBRARY = "META-INF/chaos-agent/library.pack";
    /** Where the build moves the bootstrap classes' entries, out of every class loader's sight. */
    private static final String BOOT = "META-INF/chaos-agent/boot/";

    /**
     * The class pack (see AgentClassLoader) is a copy of class files the jar also holds: every
     * packed class must be byte for byte its own entry, or the agent would run other code than the
     * jar shows. It holds what start-up needs and not the entry point, which the system class loader
     * must load.
     */
    @Test
    void classPackHoldsTheJarsOwnClassFilesForStartUp() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            JarEntry entry = jar.getJarEntry(PACK);
            assertNotNull(entry, "no class pack in the agent jar");
            assertEquals(ZipEntry.STORED, entry.getMethod(), "the pack must be stored: a class is one skip and one read away");
            Map<String, byte[]> packed = readPack(jar, PACK, 0x43415031, false);
            for (Map.Entry<String, byte[]> e : packed.entrySet()) {
                String path = e.getKey().replace('.', '/') + ".class";
                JarEntry own = jar.getJarEntry(e.getKey().startsWith("dev.chaosagent.bootstrap.") ? BOOT + path : path);
                assertNotNull(own, e.getKey() + " is packed but has no entry of its own");
                try (InputStream in = jar.getInputStream(own)) {
                    assertTrue(Arrays.equals(in.readAllBytes(), e.getValue()), e.getKey() + " differs from its entry");
                }
            }
            for (String needed : List.of("dev.chaosagent.AgentInstaller", "dev.chaosagent.Startup",
                    "dev.chaosagent.bootstrap.Dispatcher", "dev.chaosagent.config.ConfigParser",
                    "dev.chaosagent.weave.ClassWeaver", "dev.chaosagent.shaded.org.slf4j.simple.SimpleLogger",
                    "dev.chaosagent.shaded.net.bytebuddy.jar.asm.ClassReader")) {
                assertTrue(packed.containsKey(needed), needed + " is not packed: " + packed.keySet());
            }
            for (String entryPoint : List.of("dev.chaosagent.ChaosAgent", "dev.chaosagent.AgentClassLoader",
                    "dev.chaosagent.AgentEntry")) {
                assertFalse(packed.containsKey(entryPoint), entryPoint + " must come from the system class loader");
            }
        }
    }

    /** The library pack's classes, by binary name. */
    private static Map<String, byte[]> readLibrary(JarFile jar) throws IOException {
        return readPack(jar, LIBRARY, 0x43414C31, true);
    }

    /**
     * A pack, as ClassPacker writes it: magic, count, index length, the index (name, stored length,
     * and in the library pack the class file's length), then the class files, deflated in the library.
     */
    private static Map<String, byte[]> readPack(JarFile jar, String entry, int magic, boolean deflated) throws IOException {
        byte[] pack;
        try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            pack = in.readAllBytes();
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(pack));
        assertEquals(magic, in.readInt(), "magic");
        int count = in.readInt();
        int indexLength = in.readInt();
        List<String> names = new ArrayList<>();
        List<int[]> lengths = new ArrayList<>(); // {stored, class file}
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            names.add(new String(name, StandardCharsets.US_ASCII));
            int stored = in.readInt();
            lengths.add(new int[] {stored, deflated ? in.readInt() : stored});
        }
        int consumed = 12 + indexLength;
        assertEquals(pack.length - consumed, lengths.stream().mapToInt(l -> l[0]).sum(), "class bytes after the index");
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int stored = lengths.get(i)[0];
            classes.put(names.get(i), deflated ? inflate(pack, consumed, stored, lengths.get(i)[1], names.get(i))
                    : Arrays.copyOfRange(pack, consumed, consumed + stored));
            consumed += stored;
        }
        return classes;
    }

    private static byte[] inflate(byte[] pack, int at, int stored, int length, String name) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(pack, at, stored);
            byte[] bytes = new byte[length];
            assertEquals(length, inflater.inflate(bytes), name + " inflates to its length");
            return bytes;
        } catch (DataFormatException e) {
            throw new AssertionError(name + " does not inflate", e);
        } finally {
            inflater.end();
        }
    }

    private static String implementationVersion() {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The JVM's class-load log: the loader that defined each class the pattern names. */
    private static Map<String, String> loaders(String log) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = log.split("\\R");
        for (int i = 0; i + 1 < lines.length; i++) {
            int at = lines[i].indexOf("[class,load] ");
            if (at >= 0 && lines[i + 1].contains(" loader: ")) {
                String name = lines[i].substring(at + "[class,load] ".length()).split(" ")[0];
                String loader = lines[i + 1].substring(lines[i + 1].indexOf(" loader: "));
                out.put(name, loader.contains("AgentClassLoader") ? "agent" : loader.contains("AppClassLoader") ? "app"
                        : loader.contains("bootstrap") ? "boot" : loader);
            }
        }
        return out;
    }

    /**
     * Where each class comes from; and what start-up leaves out stays out: this JVM weaves,
     * injects and ends before the control thread's first poll, so it loads no JMX class
     * (registration waits for start-up to settle, and no catch clause of the agent's start-up
     * names a JMX exception, which the verifier would load) and nothing of the library pack (an
     * exception rule needs no type descriptions).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void agentClassesComeFromItsOwnLoaderAndTheEntryPointFromTheSystemOne(Jdk jdk) {
        // no weave cache: a warm one would weave without loading the weaver (and ASM) at all
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.weave.cache", "off")
                .rule("r", TARGET + "#plain", "exception", 1.0).jvm("-Xlog:class+load=debug:stdout").run("calls", "5", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(5, r.count("plain ", "thrown"), r::toString);
        Map<String, String> loaders = loaders(r.stdout());
        assertEquals("app", loaders.get("dev.chaosagent.ChaosAgent"), () -> "ChaosAgent: " + loaders);
        assertEquals("app", loaders.get("dev.chaosagent.AgentClassLoader"), () -> "AgentClassLoader: " + loaders);
        for (String name : List.of("dev.chaosagent.Startup", "dev.chaosagent.config.ConfigParser",
                "dev.chaosagent.weave.ClassWeaver", "dev.chaosagent.shaded.org.slf4j.simple.SimpleLogger",
                "dev.chaosagent.shaded.net.bytebuddy.jar.asm.ClassWriter")) {
            assertEquals("agent", loaders.get(name), () -> name + ": " + loaders);
        }
        assertTrue(r.stderr().contains("[chaos-agent] INFO chaos-agent " + implementationVersion() + " started: ARMED"),
                () -> "the banner names the jar's Implementation-Version\n" + r);
        List<String> twice = new ArrayList<>();
        for (String name : loaders.keySet()) {
            String line = "[class,load] " + name + " ";
            if (name.startsWith("dev.chaosagent.") && r.stdout().indexOf(line) != r.stdout().lastIndexOf(line)) {
                twice.add(name);
            }
        }
        assertTrue(twice.isEmpty(), "agent classes defined twice: " + twice);
        assertFalse(r.stdout().contains("[class,load] javax.management."), r::toString);
        assertFalse(r.stdout().contains("[class,load] dev.chaosagent.AgentClassLoader$Library "), r::toString);
        assertFalse(r.stdout().contains("[class,load] dev.chaosagent.shaded.net.bytebuddy.pool."), r::toString);
    }

    /**
     * The dispatcher's classes cost start-up (opening a JDK module to define them): a JVM whose
     * rules weave nothing never defines them, and says so in its debug line.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRuleThatWeavesNothingNeverDefinesTheDispatcher(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.log.level", "debug")
                .rule("r", "nomatch.Nothing#plain", "exception", 1.0).jvm("-Xlog:class+load=info:stdout").run("calls", "5", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("plain ", "thrown"), r::toString);
        assertTrue(r.stdout().contains("[class,load] dev.chaosagent.Startup "), "the agent ran\n" + r);
        assertFalse(r.stdout().contains("[class,load] dev.chaosagent.bootstrap."), r::toString);
        assertTrue(r.stderr().contains("dispatcher classes not defined yet"), r::toString);
    }

    /** A jar without the pack (an older build step, a hand-made jar) still runs the agent, more slowly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aJarWithoutThePackLoadsTheAgentThroughTheSystemLoader(Jdk jdk, @TempDir Path dir) throws IOException {
        Path jar = copyJar(dir.resolve("no-pack.jar"), null);
        ChildJvm.Result r = ChildJvm.on(jdk).agentJar(jar).prop("chaos.armed", true).rule("r", TARGET + "#plain", "exception", 1.0)
                .jvm("-Xlog:class+load=debug:stdout").run("calls", "5", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(5, r.count("plain ", "thrown"), r::toString);
        assertEquals("app", loaders(r.stdout()).get("dev.chaosagent.Startup"), r::toString);
    }

    /** A damaged pack disables the agent with one line; the application runs on untouched. */
    @Test
    void aDamagedPackDisablesTheAgentAndTheApplicationRuns(@TempDir Path dir) throws IOException {
        Path jar = copyJar(dir.resolve("bad-pack.jar"), "not a class pack".getBytes(StandardCharsets.US_ASCII));
        ChildJvm.Result r = ChildJvm.on(Jdk.all().get(0)).agentJar(jar).prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 1.0).run("calls", "5", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("plain ", "thrown"), r::toString);
        assertTrue(r.stderr().contains("[chaos-agent] disabled: java.io.IOException: " + PACK), r::toString);
    }

    /**
     * A damaged library pack costs only what needs Byte Buddy's classes: a rule with an annotation
     * target cannot weave and says why (naming the pack), other rules weave, the application runs.
     */
    @Test
    void aDamagedLibraryPackFailsOnlyTheWeavesThatNeedIt(@TempDir Path dir) throws Exception {
        Path jar = copyJar(dir.resolve("bad-library.jar"), LIBRARY, "not a library pack".getBytes(StandardCharsets.US_ASCII));
        String h = FIXTURES + "hierarchy.";
        try (ChildJvm.Running child = ChildJvm.on(Jdk.all().get(0)).agentJar(jar).prop("chaos.armed", true)
                .rule("api", "@" + h + "Api#list", "exception", 1.0)
                .rule("find", h + "DirectRepository#find", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("hierarchy");
            String line = child.awaitLine("hierarchy", WAIT);
            assertTrue(line.contains(" Direct.find=thrown ") && line.contains(" Api.list=ok "), line);
            String err = child.stderrSoFar();
            assertTrue(err.contains("cannot weave ") && err.contains(LIBRARY + " in ") && err.contains(" is not a pack this agent can read"),
                    err);
        }
    }

    /** Copies the agent jar, dropping its pack or replacing it with {@code pack}. */
    private static Path copyJar(Path to, byte[] pack) throws IOException {
        return copyJar(to, PACK, pack);
    }

    /** Copies the agent jar, dropping entry {@code name} or replacing it with {@code bytes}. */
    private static Path copyJar(Path to, String name, byte[] replacement) throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile());
             OutputStream file = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                byte[] bytes;
                try (InputStream in = jar.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                if (e.getName().equals(name)) {
                    if (replacement == null) {
                        continue;
                    }
                    bytes = replacement;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return to;
    }
}
