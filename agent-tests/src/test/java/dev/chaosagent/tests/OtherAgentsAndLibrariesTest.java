package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, cases 2 and 3: an application with its own Byte Buddy and logging, and the
 * OpenTelemetry Java agent in the same JVM, in both orders. The jars come from Maven Central
 * through the build (target/fixture-libs) and appear only on the child JVMs' command lines.
 */
class OtherAgentsAndLibrariesTest extends ChildJvmTest {
    private static final Path LIBS = ChildJvm.FIXTURE_LIBS;

    private static String cp(Path classes, String... jars) {
        StringBuilder b = new StringBuilder(classes.toString());
        for (String jar : jars) {
            b.append(File.pathSeparator).append(LIBS.resolve(jar));
        }
        return b.toString();
    }

    /** Compiles one fixture app (a test resource) against the given jars, with its config file beside it. */
    private static Path compile(Path dir, String app, String config, String... jars) throws IOException {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        String name = app.substring(app.lastIndexOf('/') + 1);
        try (InputStream in = OtherAgentsAndLibrariesTest.class.getResourceAsStream("/apps/" + app)) {
            Files.copy(in, src.resolve(name));
        }
        try (InputStream in = OtherAgentsAndLibrariesTest.class.getResourceAsStream("/apps/" + config)) {
            Files.copy(in, classes.resolve(config.substring(config.lastIndexOf('/') + 1)));
        }
        FixtureCompiler.compile(classes, cp(classes, jars), src.resolve(name));
        return classes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void anAppsOwnByteBuddySlf4j17AndLogbackAreUntouched(Jdk jdk, @TempDir Path dir) throws Exception {
        String[] jars = {"app-byte-buddy-1.12.jar", "app-slf4j-api-1.7.jar", "app-logback-classic.jar", "app-logback-core.jar"};
        Path classes = compile(dir, "logback/OwnLibsApp.java", "logback/logback.xml", jars);
        // Byte Buddy 1.12 predates Java 25: the app itself needs its experimental switch there, agent or not.
        String experimental = "-Dnet.bytebuddy.experimental=" + (jdk.feature() > 19); // 1.12 knows Java up to 19
        ChildJvm.Result alone = ChildJvm.on(jdk).withoutAgent().jvm(experimental).classPath(cp(classes, jars))
                .runMain("ownlibs.OwnLibsApp");
        ChildJvm.Result attached = ChildJvm.on(jdk).jvm(experimental).classPath(cp(classes, jars)).prop("chaos.armed", true)
                .rule("r", "ownlibs.OwnLibsApp#target", "exception", 1.0)
                .runMain("ownlibs.OwnLibsApp");
        assertEquals(0, alone.exitCode(), alone::toString);
        assertEquals(0, attached.exitCode(), attached::toString);
        String expected = "made by the app's Byte Buddy from app-byte-buddy-1.12.jar\nAPP-LOGBACK|INFO|OwnLibsApp|logged through the app's logback\n";
        assertEquals(expected + "target returned\n", alone.stdout(), alone::toString);
        assertEquals(expected + "target threw: injected by chaos-agent rule 'r'\n", attached.stdout(), attached::toString);
        assertTrue(attached.stderr().contains("[chaos-agent] INFO rule 'r' wove ownlibs.OwnLibsApp#target() (1 method so far)"),
                attached::toString);
        assertFalse(attached.stderr().contains("SLF4J"), () -> "slf4j complained about bindings\n" + attached);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void anAppsOwnSlf4j2KeepsItsConfigurationAndTheAgentKeepsItsPrefix(Jdk jdk, @TempDir Path dir) throws Exception {
        String[] jars = {"app-slf4j-api-2.jar", "app-slf4j-simple-2.jar"};
        Path classes = compile(dir, "slf4j2/OwnSlf4jApp.java", "slf4j2/simplelogger.properties", jars);
        ChildJvm.Result alone = ChildJvm.on(jdk).withoutAgent().classPath(cp(classes, jars)).runMain("ownlibs.OwnSlf4jApp");
        ChildJvm.Result attached = ChildJvm.on(jdk).classPath(cp(classes, jars)).prop("chaos.armed", true)
                .rule("r", "ownlibs.OwnSlf4jApp#target", "exception", 1.0)
                .runMain("ownlibs.OwnSlf4jApp");
        assertEquals(0, alone.exitCode(), alone::toString);
        assertEquals(0, attached.exitCode(), attached::toString);
        String logLine = "[INFO] OwnSlf4jApp - logged through the app's slf4j-simple\n";
        assertEquals(logLine + "target returned\n", alone.stdout(), alone::toString);
        assertEquals(logLine + "target threw: injected by chaos-agent rule 'r'\n", attached.stdout(), attached::toString);
        for (String line : attached.stderr().split("\n")) {
            assertTrue(line.isEmpty() || line.startsWith("[chaos-agent] "), () -> "an agent line without its prefix: " + line);
        }
        assertFalse(attached.stderr().contains("SLF4J"), () -> "slf4j complained about providers\n" + attached);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void openTelemetryAgentFirstThenChaos(Jdk jdk) {
        bothAgents(jdk, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void chaosFirstThenOpenTelemetryAgent(Jdk jdk) {
        bothAgents(jdk, false);
    }

    private static void bothAgents(Jdk jdk, boolean openTelemetryFirst) {
        String otel = "-javaagent:" + LIBS.resolve("opentelemetry-javaagent.jar");
        ChildJvm child = ChildJvm.on(jdk);
        if (openTelemetryFirst) {
            child.withoutAgent().jvm(otel).jvm("-javaagent:" + ChildJvm.AGENT_JAR);
        } else {
            child.jvm(otel);
        }
        ChildJvm.Result r = child
                .jvm("-Dotel.traces.exporter=logging").jvm("-Dotel.metrics.exporter=none").jvm("-Dotel.logs.exporter=none")
                .prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .runMain("dev.chaosagent.fixtures.CompatMain", "traced", "100");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("200", r.field("traced", "status"), r::toString);
        assertEquals(100, r.count("traced", "thrown"), () -> "chaos faults did not fire beside the other agent\n" + r);
        assertTrue(r.stderr().contains("opentelemetry-javaagent - version: 2.21.0"), r::toString);
        assertTrue(r.stderr().contains("LoggingSpanExporter"), () -> "OpenTelemetry traced nothing\n" + r);
        assertFalse(r.stderr().contains("VerifyError") || r.stdout().contains("VerifyError"), r::toString);
    }
}
