package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the agent behaves inside real applications: JDK classes, unusual loaders, pools, virtual threads. */
class CompatibilityTest extends ChildJvmTest {
    private static final String COMPAT = "dev.chaosagent.fixtures.CompatMain";

    /** Case 8: attached but disarmed, a deterministic application prints exactly what it prints alone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void disarmedLeavesNoResidue(Jdk jdk) {
        ChildJvm.Result alone = ChildJvm.on(jdk).withoutAgent().runMain(COMPAT, "deterministic");
        ChildJvm.Result attached = ChildJvm.on(jdk)
                .rule("r", TARGET + "#*;dev.chaosagent.**.Deep#*", "exception", 1.0)
                .runMain(COMPAT, "deterministic");
        assertEquals(0, alone.exitCode(), alone::toString);
        assertEquals(0, attached.exitCode(), attached::toString);
        assertTrue(attached.stderr().contains("rule 'r' wove " + TARGET + "#"), attached::toString);
        assertEquals(alone.stdout(), attached.stdout(), "stdout differs with the agent attached but disarmed");
        assertTrue(alone.stdout().contains("loaders target=app deep=app"), alone::toString);
    }

    /** Case 4: a rule naming java.net.Socket#connect fails loopback connections at its rate; nothing else is woven. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void jdkSocketConnectGetsIoExceptionsAtTheConfiguredRate(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 17)
                .rule("net", "java.net.Socket#connect(java.net.SocketAddress,int)", "exception", 0.3)
                .prop("chaos.rule.net.exception", "java.io.IOException")
                .runMain(COMPAT, "sockets", "2000");
        assertEquals(0, r.exitCode(), r::toString);
        long injected = r.count("sockets", "injected");
        // 2000 connections at p=0.3: exact binomial bounds at alpha about 1e-9 are [509, 693].
        assertTrue(injected >= 509 && injected <= 693, () -> "injected " + injected + "\n" + r);
        assertEquals(2000 - injected, r.count("sockets", "ok"), r::toString);
        assertEquals(0, r.count("sockets", "other"), r::toString);
        assertFalse(r.stderr().contains("NoClassDefFoundError") || r.stdout().contains("NoClassDefFoundError"), r::toString);
        assertEquals(1, r.stderr().split("rule 'net' wove ", -1).length - 1, () -> "more than Socket#connect was woven\n" + r);
        assertTrue(r.stderr().contains("rule 'net' wove java.net.Socket#connect(java.net.SocketAddress,int) (1 method so far)"), r::toString);
    }

    /** Case 5: null-parent and child-first loaders reach the dispatcher; a java.*-only loader is reported, never broken. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void unusualClassLoaders(Jdk jdk, @TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/isolated");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Service.java"), "package isolated;\n"
                + "public class Service {\n"
                + "    public static String call() { return \"ran\"; }\n"
                + "    public static String run() {\n"
                + "        try { return call(); } catch (RuntimeException e) { return \"thrown\"; }\n"
                + "    }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        FixtureCompiler.compile(classes, null, src.resolve("Service.java"));
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("iso", "isolated.Service#call", "exception", 1.0)
                .runMain(COMPAT, "loaders", classes.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("thrown", r.field("loader null-parent", "result"), r::toString);
        assertEquals("thrown", r.field("loader child-first", "result"), r::toString);
        assertEquals("ran", r.field("loader java-only", "result"), r::toString);
        assertTrue(r.stderr().contains("rule 'iso' skips isolated.Service: the agent's dispatcher is unreachable from its class loader"),
                r::toString);
        assertFalse(r.stdout().contains("NoClassDefFoundError") || r.stderr().contains("NoClassDefFoundError"), r::toString);
    }

    /** Case 7: 10 000 tasks while workers are killed: the pool recovers, every other task completes, no thread leaks. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void poolRecoversFromKillsAcrossTenThousandTasks(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 23)
                .rule("k", TARGET + "#killable", "kill", 0.02)
                .run("pool", "10000");
        assertEquals(0, r.exitCode(), r::toString);
        long killed = r.count("pool", "killed");
        // 10 000 tasks at p=0.02: exact binomial bounds at alpha about 1e-9 are [130, 277].
        assertTrue(killed >= 130 && killed <= 277, () -> "kills " + killed + "\n" + r);
        assertEquals(10_000 - killed, r.count("pool", "completed"), r::toString);
        assertEquals(4, r.count("pool", "size"), r::toString);
        assertEquals(4 + killed, r.count("pool", "created"), r::toString);
        assertEquals(0, r.count("pool", "leaked"), r::toString);
    }

    /** Case 7: a fault in a periodic scheduled task cancels it silently in the JDK; the agent says so. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aFaultInAPeriodicTaskIsWarnedAbout(Jdk jdk) {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms")
                .rule("tick", TARGET + "#killable", "exception", 1.0)
                .startMain(COMPAT, "periodic")) {
            String line = child.awaitLine("periodic", Duration.ofSeconds(60));
            assertEquals("periodic done=true runs=1", line, "the JDK cancelled the periodic task after its first failure");
            String warning = child.awaitErrLine("threw inside a periodic scheduled task", Duration.ofSeconds(30));
            assertEquals("[chaos-agent] WARN rule 'tick' threw inside a periodic scheduled task (" + TARGET + "#killable()):"
                    + " the JDK cancels such a task for good and says nothing, so it will not run again in this JVM", warning);
        }
    }

    /** Case 6: latency and kills in tasks on virtual threads (JDK 21+): the executor keeps working. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void virtualThreadsTakeLatencyAndKills(Jdk jdk) {
        jdk.assumePresent();
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21+: skipped on " + jdk);
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 5)
                .rule("slow", TARGET + "#sleepy", "latency", 0.5).prop("chaos.rule.slow.latency", "1ms..5ms")
                .rule("kill", TARGET + "#killable", "kill", 0.1)
                .runMain(COMPAT, "virtual", "1000");
        assertEquals(0, r.exitCode(), r::toString);
        long killed = r.count("virtual", "killed");
        // 1000 tasks at p=0.1: exact binomial bounds at alpha about 1e-9 are [54, 155].
        assertTrue(killed >= 54 && killed <= 155, () -> "kills " + killed + "\n" + r);
        assertEquals(1000 - killed, r.count("virtual", "ok"), r::toString);
        assertEquals(0, r.count("virtual", "other"), r::toString);
        assertEquals("still-working", r.field("virtual", "after"), r::toString);
        assertEquals("true", r.field("virtual", "virtual"), r::toString);
        assertTrue(r.stderr().contains("rule 'slow' wove") && r.stderr().contains("rule 'kill' wove"), r::toString);
    }

    /** Case 9: 5000 classes generated and woven while the rule is retuned all along: no linkage trouble. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void fiveThousandGeneratedClassesWhileRetuning(Jdk jdk) throws Exception {
        String asm = Paths.get(org.objectweb.asm.ClassWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "10ms").prop("chaos.log.level", "debug")
                .classPath(ChildJvm.TEST_CLASSES + File.pathSeparator + asm)
                .rule("g", "gen.Gen*#work", "exception", 0.5)
                .runMain(COMPAT, "generate", "5000");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("0", r.field("generated", "errors"), r::toString);
        assertEquals(15_000, r.count("generated", "calls"), r::toString);
        assertTrue(r.count("generated", "injected") > 0, r::toString);
        for (String bad : new String[] {"LinkageError", "VerifyError", "ClassCircularityError", "NoClassDefFoundError"}) {
            assertFalse(r.stdout().contains(bad) || r.stderr().contains(bad), () -> bad + "\n" + r);
        }
        assertTrue(r.stderr().contains("[chaos-agent] INFO rule 'g' has woven 10 classes; more are logged at debug level"), r::toString);
        assertTrue(r.stderr().contains("[chaos-agent] DEBUG rule 'g' wove gen.Gen4999#work(int) (5000 methods so far)"), r::toString);
        assertEquals(10, r.stderr().split("\\[chaos-agent\\] INFO rule 'g' wove ", -1).length - 1, r::toString);
    }
}
