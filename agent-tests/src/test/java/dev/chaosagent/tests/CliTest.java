package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's CLI, {@code java -jar chaos-agent.jar <command> <jvm> ...}, run as its own
 * process against a running JVM, with and without the agent, checked by exit code and output.
 */
class CliTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void assertExit(int code, ChildJvm.Result r) {
        assertEquals(code, r.exitCode(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void attachToAJvmWithoutTheAgentThenOperateIt(Jdk jdk, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("chaos.properties");
        Files.writeString(config, "chaos.poll=200ms\nchaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\n"
                + "chaos.rule.r.probability=1\n");
        ChildJvm jvm = ChildJvm.on(jdk).withoutAgent();
        jvm.allowingDynamicAgents();
        try (ChildJvm.Running child = jvm.start("serve")) {
            child.awaitLine("serving", WAIT);
            String pid = Long.toString(child.pid());
            assertEquals(0, thrown(child, 10));

            ChildJvm.Result noAgent = cli(jdk, "status", pid);
            assertExit(2, noAgent);
            assertTrue(noAgent.stderr().contains("runs no chaos-agent; load it with: java -jar chaos-agent.jar attach " + pid),
                    noAgent::toString);

            ChildJvm.Result attach = cli(jdk, "attach", pid, config.toString());
            assertExit(0, attach);
            assertTrue(attach.stdout().contains("attached to JVM " + pid), attach::toString);
            assertTrue(attach.stdout().contains("disarmed, 1 rule, 1 method woven, 0 injections"), attach::toString);
            assertEquals(0, thrown(child, 10), "attached disarmed");

            assertExit(0, cli(jdk, "arm", "FixtureMain"));
            assertEquals(10, thrown(child, 10), "armed through the CLI, naming the JVM by its main class");
            ChildJvm.Result status = cli(jdk, "status", pid);
            assertExit(0, status);
            assertEquals("ARMED, 1 rule, 1 method woven, 10 injections\n"
                    + "  r: exception java.lang.RuntimeException p=1.0, 1 method woven, 10 calls, 10 injections\n", status.stdout());

            ChildJvm.Result rejected = cli(jdk, "set", pid, "chaos.rule.r.probability=1.5");
            assertExit(1, rejected);
            assertEquals("chaos-agent: chaos.rule.r.probability=1.5 must be a number between 0 and 1; rule 'r' keeps 1\n",
                    rejected.stderr());
            assertExit(0, cli(jdk, "set", pid, "chaos.rule.r.probability=0", "chaos.summary=0"));
            assertEquals(0, thrown(child, 10));

            ChildJvm.Result rule = cli(jdk, "rule", pid, "db", "target=" + TARGET + "#sibling", "fault=exception",
                    "probability=1", "message=db down");
            assertExit(0, rule);
            child.send("invoke 4 sibling");
            assertEquals("invoked m=sibling n=4 thrown=4 kind=java.lang.RuntimeException message=db_down",
                    child.awaitLine("invoked", WAIT));
            assertExit(0, cli(jdk, "rule", pid, "db", "target=" + TARGET + "#instance", "fault=latency+exception", "latency=1ms",
                    "exception=java.lang.IllegalStateException", "probability=1", "message=db down"));
            child.send("invoke 4 instance");
            assertEquals("invoked m=instance n=4 thrown=4 kind=java.lang.IllegalStateException message=db_down",
                    child.awaitLine("invoked", WAIT), "target, fault and exception changed through the CLI");
            child.send("invoke 4 sibling");
            assertEquals("invoked m=sibling n=4 thrown=0 kind=- message=-", child.awaitLine("invoked", WAIT));
            assertExit(0, cli(jdk, "rule", pid, "db", "target=" + TARGET + "#sibling", "fault=exception", "probability=1",
                    "message=db down"));
            ChildJvm.Result rules = cli(jdk, "rules", pid);
            assertExit(0, rules);
            assertEquals("chaos.rule.db.fault=exception\nchaos.rule.db.message=db down\nchaos.rule.db.probability=1\n"
                    + "chaos.rule.db.target=" + TARGET + "#sibling\n"
                    + "chaos.rule.r.fault=exception\nchaos.rule.r.probability=0\nchaos.rule.r.target=" + TARGET + "#plain\n",
                    rules.stdout());
            ChildJvm.Result badRule = cli(jdk, "rule", pid, "db", "target=" + TARGET + "#sibling", "fault=boom", "probability=1");
            assertExit(1, badRule);
            assertTrue(badRule.stderr().startsWith("chaos-agent: chaos.rule.db.fault=boom must be one of"), badRule::toString);

            assertExit(0, cli(jdk, "remove", pid, "db"));
            child.send("invoke 4 sibling");
            assertEquals("invoked m=sibling n=4 thrown=0 kind=- message=-", child.awaitLine("invoked", WAIT));
            ChildJvm.Result noSuch = cli(jdk, "remove", pid, "db");
            assertExit(1, noSuch);
            assertEquals("chaos-agent: no rule 'db' is defined (rules: r); nothing changes\n", noSuch.stderr());

            assertExit(0, cli(jdk, "disarm", pid));
            ChildJvm.Result again = cli(jdk, "attach", pid);
            assertExit(0, again);
            assertTrue(again.stdout().contains("already runs in JVM " + pid + " (" + FIXTURES + "FixtureMain); nothing loaded"),
                    again::toString);
            child.send("threads");
            assertEquals("threads control=1", child.awaitLine("threads", WAIT), "no second agent");
            assertFalse(child.stderrSoFar().contains("WARNING"), child::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void attachToAJvmWithTheAgentSwitchesItsConfigFile(Jdk jdk, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("second.properties");
        Files.writeString(config, "chaos.armed=true\nchaos.rule.s.target=" + TARGET + "#plain\nchaos.rule.s.fault=exception\n"
                + "chaos.rule.s.probability=1\n");
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.poll", "200ms").start("serve")) {
            child.awaitLine("serving", WAIT);
            String pid = Long.toString(child.pid());
            assertEquals(0, thrown(child, 10), "Target is loaded, and the agent has no rule yet");
            ChildJvm.Result attach = cli(jdk, "attach", pid, config.toString());
            assertExit(0, attach);
            assertTrue(attach.stdout().contains("already runs in JVM " + pid + " (" + FIXTURES + "FixtureMain); nothing loaded,"
                    + " it now reads " + config),
                    attach::toString);
            assertTrue(attach.stdout().contains("ARMED, 1 rule, 1 method woven"), attach::toString);
            assertEquals(10, thrown(child, 10));
            child.send("threads");
            assertEquals("threads control=1", child.awaitLine("threads", WAIT));

            ChildJvm.Result missing = cli(jdk, "attach", pid, dir.resolve("missing.properties").toString());
            assertExit(2, missing);
            assertTrue(missing.stderr().startsWith("chaos-agent: config file " + dir.resolve("missing.properties")
                    + " does not exist"), missing::toString);
            assertEquals(10, thrown(child, 10), "the rules in force stay");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aJvmThatForbidsDynamicAgentsGetsTheRemedy(Jdk jdk) {
        try (ChildJvm.Running child = ChildJvm.on(jdk).withoutAgent().jvm("-XX:-EnableDynamicAgentLoading").start("serve")) {
            child.awaitLine("serving", WAIT);
            ChildJvm.Result r = cli(jdk, "attach", Long.toString(child.pid()));
            assertExit(2, r);
            assertTrue(r.stderr().contains("refuses dynamic attach: it was started with -XX:-EnableDynamicAgentLoading"), r::toString);
            assertTrue(r.stderr().contains("start it with -javaagent:chaos-agent.jar (the primary mode), or with"
                    + " -XX:+EnableDynamicAgentLoading"), r::toString);
            assertEquals(0, thrown(child, 3), "the JVM runs on");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void usageErrorsAndUnreachableJvmsExitWith2(Jdk jdk) {
        ChildJvm.Result none = cli(jdk);
        assertExit(2, none);
        assertTrue(none.stderr().contains("usage: java -jar chaos-agent.jar <command> <jvm>"), none::toString);
        ChildJvm.Result unknown = cli(jdk, "explode", "1");
        assertExit(2, unknown);
        assertTrue(unknown.stderr().startsWith("chaos-agent: unknown command 'explode'"), unknown::toString);
        ChildJvm.Result nobody = cli(jdk, "status", "NoSuchMainClassAnywhere");
        assertExit(2, nobody);
        assertTrue(nobody.stderr().startsWith("chaos-agent: no running JVM matches 'NoSuchMainClassAnywhere'"), nobody::toString);
        ChildJvm.Result help = cli(jdk, "help");
        assertExit(0, help);
        assertTrue(help.stdout().contains("remove <jvm> <name>"), help::toString);
        try (ChildJvm.Running one = ChildJvm.on(jdk).start("serve"); ChildJvm.Running two = ChildJvm.on(jdk).start("serve")) {
            one.awaitLine("serving", WAIT);
            two.awaitLine("serving", WAIT);
            ChildJvm.Result ambiguous = cli(jdk, "status", "FixtureMain");
            assertExit(2, ambiguous);
            assertTrue(ambiguous.stderr().contains("'FixtureMain' matches 2 JVMs: "), ambiguous::toString);
            assertTrue(ambiguous.stderr().contains(one.pid() + " dev.chaosagent.fixtures.FixtureMain"), ambiguous::toString);
        }
    }
}
