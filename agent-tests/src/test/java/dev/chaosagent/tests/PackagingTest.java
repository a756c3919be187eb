package dev.chaosagent.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar is tested, not trusted: its entries, its manifest, its relocated service file, and where the dispatcher lands. */
class PackagingTest extends ChildJvmTest {

    @Test
    void jarHoldsOnlyOurPackagesAndMetaInf() throws IOException {
        List<String> stray = new ArrayList<>();
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                boolean ours = n.startsWith("dev/chaosagent/") || n.equals("dev/");
                boolean meta = n.startsWith("META-INF/") && !n.startsWith("META-INF/versions/") && !n.endsWith(".class");
                if (!ours && !meta) {
                    stray.add(n);
                }
            }
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/net/bytebuddy/jar/asm/ClassReader.class"));
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/org/slf4j/simple/SimpleLogger.class"));
            assertNotNull(jar.getEntry("dev/chaosagent/bootstrap/Dispatcher.class"));
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
            String bb = "dev/chaosagent/shaded/net/bytebuddy/";
            assertNotNull(jar.getEntry(bb + "pool/TypePool.class"));
            assertNotNull(jar.getEntry(bb + "dynamic/ClassFileLocator.class"));
            assertNotNull(jar.getEntry("dev/chaosagent/shaded/org/slf4j/simple/SimpleServiceProvider.class"));
            assertEquals(null, jar.getEntry(bb + "implementation/MethodDelegation.class"), "unreachable from the agent");
            long classes = Collections.list(jar.entries()).stream().filter(e -> e.getName().startsWith(bb)).count();
            assertTrue(classes < 2_800, classes + " Byte Buddy classes: the full library has 3,091");
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
        assertEquals("null", r.field("dispatcher", "loader"), r::toString);
        assertFalse(r.stderr().contains("Sharing is only supported"), r::toString);
        assertFalse(r.stderr().contains("WARNING"), r::toString);
    }
}
