package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits a rule keeps to, the dry run, the arming requirements, the immediate kill switch, and the agent's own threads. */
class GuardrailsTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ChildJvm armed(Jdk jdk) {
        return ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 11).prop("chaos.poll", "100ms");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void budgetsAreExactUnder16Threads(Jdk jdk) {
        ChildJvm.Result rule = armed(jdk).rule("r", TARGET + "#plain", "exception", 1.0)
                .prop("chaos.rule.r.max-injections", 137).run("threads-calls", "16", "2000", "plain");
        assertEquals(0, rule.exitCode(), rule::toString);
        assertEquals(137, rule.count("threads-calls", "thrown"), rule::toString);

        ChildJvm.Result total = armed(jdk).rule("a", TARGET + "#plain", "exception", 1.0)
                .rule("b", TARGET + "#sibling", "exception", 1.0).prop("chaos.max-injections", 250)
                .run("threads-calls", "16", "1000", "plain");
        assertEquals(250, total.count("threads-calls", "thrown"), total::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theConcurrencyCapLetsCallsBeyondItRunUnharmed(Jdk jdk) {
        ChildJvm.Result r = armed(jdk).rule("slow", TARGET + "#sleepy", "latency", 1.0)
                .prop("chaos.rule.slow.latency", "2s").prop("chaos.rule.slow.max-concurrent", 4)
                .run("threads-calls", "16", "1", "sleepy");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(4, r.count("threads-calls", "delayed"), () -> "16 threads entered a rule capped at 4\n" + r);
        assertTrue(r.stderr().contains("left 12 calls unharmed at its concurrency cap"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theRateCapHoldsOverASlidingSecond(Jdk jdk) {
        ChildJvm.Result r = armed(jdk).rule("r", TARGET + "#plain", "exception", 1.0).prop("chaos.rule.r.max-rate", 50)
                .run("timed-calls", "1500", "plain");
        long thrown = r.count("timed-calls", "thrown");
        // 50 in the first second at once, then at most 50 more before 1.5 s: never more than two windows' worth
        assertTrue(thrown >= 50 && thrown <= 100, () -> thrown + " injections in 1.5 s at max-rate 50\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aDryRunDecidesWhatARealRunInjectsAndInjectsNothing(Jdk jdk) {
        ChildJvm.Result real = armed(jdk).rule("r", TARGET + "#plain", "exception", 0.3).run("calls", "5000", "plain");
        ChildJvm.Result dry = armed(jdk).rule("r", TARGET + "#plain", "exception", 0.3).prop("chaos.dry-run", true)
                .run("calls", "5000", "plain");
        long injected = real.count("plain ", "thrown");
        assertTrue(injected > 1000, real::toString);
        assertEquals(0, dry.count("plain ", "thrown"), dry::toString);
        assertTrue(dry.stderr().contains("final: rule 'r' would have injected " + injected + " (dry-run)"), () -> real + "\n" + dry);
        assertTrue(dry.stderr().contains("[chaos-agent] INFO rule 'r' would inject exception into " + TARGET + "#plain(int)"),
                dry::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void armingIsRefusedUnlessTheRequirementsHold(Jdk jdk) {
        ChildJvm.Result refused = armed(jdk).prop("chaos.require", "property:deploy.env=staging")
                .rule("r", TARGET + "#plain", "exception", 1.0).run("calls", "10", "plain");
        assertEquals(0, refused.count("plain ", "thrown"), refused::toString);
        assertTrue(refused.stderr().contains("[chaos-agent] ERROR chaos.armed=true is refused: chaos.require condition"
                + " property:deploy.env=staging does not hold (deploy.env is not set); the agent stays disarmed"), refused::toString);

        ChildJvm.Result allowed = armed(jdk).prop("chaos.require", "property:deploy.env=staging").prop("deploy.env", "staging")
                .rule("r", TARGET + "#plain", "exception", 1.0).run("calls", "10", "plain");
        assertEquals(10, allowed.count("plain ", "thrown"), allowed::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void armingOverJmxIsRefusedToo(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.poll", "100ms").prop("chaos.require", "env:CHAOS_TEST_NOWHERE=1")
                .rule("r", TARGET + "#plain", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Jmx.invoke(c, Jmx.AGENT, "arm"));
                assertEquals("chaos.armed=true is refused: chaos.require condition env:CHAOS_TEST_NOWHERE=1 does not hold"
                        + " (CHAOS_TEST_NOWHERE is not set); the agent stays disarmed", Jmx.rootMessage(e));
                assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void disarmingWakesAThreadInAnInjectedDelayAndItsMethodProceeds(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = armed(jdk).rule("slow", TARGET + "#sleepy", "latency+exception", 1.0)
                .prop("chaos.rule.slow.latency", "30s").start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                child.send("sleep-bg");
                assertEquals("sleeping state=TIMED_WAITING", child.awaitLine("sleeping", WAIT));
                Jmx.invoke(c, Jmx.AGENT, "disarm");
                String woke = child.awaitLine("woke", Duration.ofSeconds(10));
                long ms = Long.parseLong(ChildJvm.Running.field(woke, "ms"));
                assertTrue(ms < 20_000, () -> "the 30 s delay went on after the disarm: " + woke + "\n" + child);
                assertEquals("false", ChildJvm.Running.field(woke, "thrown"), "a delay cut short does not throw");

                Jmx.invoke(c, Jmx.AGENT, "arm");
                child.send("sleep-bg");
                assertEquals("sleeping state=TIMED_WAITING", child.awaitLine("sleeping", WAIT));
                Jmx.set(c, Jmx.rule("slow"), "Enabled", false);
                assertEquals("false", ChildJvm.Running.field(child.awaitLine("woke", Duration.ofSeconds(10)), "thrown"),
                        "disabling the rule ends its delays too");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aKillRuleOnThreadRunNeverReachesTheAgentsThreads(Jdk jdk) {
        // Every other new thread of the JVM dies at its first instruction (JMX's among them): drive it through stdin.
        try (ChildJvm.Running child = armed(jdk).rule("all-threads", "java.lang.Thread#run", "kill", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("set chaos.rule.all-threads.probability 0.5");
            child.awaitErrLine("rule 'all-threads' probability 1.0 -> 0.5", WAIT); // the control thread is alive and polls
            child.send("quit");
            ChildJvm.Result r = child.await(WAIT);
            assertFalse(r.stderr().contains("Exception in thread \"chaos-agent"), r::toString);
            assertTrue(r.stderr().contains("final: all-threads"), () -> "the shutdown thread printed the table\n" + r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theAgentDisarmsItselfWhenItsDurationIsOverAndEachArmingStartsANewWindow(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = armed(jdk).prop("chaos.poll", "10s").prop("chaos.duration", "1500ms")
                .rule("r", TARGET + "#plain", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("call 10");
            assertEquals("called n=10 thrown=10", child.awaitLine("called", WAIT));
            long asked = System.nanoTime();
            child.awaitErrLine("WARN chaos.duration of 1500ms is over: chaos-agent disarms itself", WAIT);
            long waitedMs = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(waitedMs < 9_000, () -> "disarmed after " + waitedMs + " ms: at the poll (10 s), not on time\n" + child);
            child.awaitErrLine("chaos disarmed: no new fault starts", WAIT);
            child.send("call 10");
            assertEquals("called n=10 thrown=0", child.awaitLine("called", WAIT));

            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                assertEquals("", Jmx.get(c, Jmx.AGENT, "ArmedUntil"));
                assertTrue(java.util.Arrays.asList((String[]) Jmx.get(c, Jmx.AGENT, "ConfigSources"))
                        .contains("chaos.armed=false (duration)"), () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));
                Jmx.invoke(c, Jmx.AGENT, "arm");
                String until = (String) Jmx.get(c, Jmx.AGENT, "ArmedUntil");
                assertFalse(until.isEmpty(), "armed again, with a new window");
                child.send("call 10");
                assertEquals("called n=10 thrown=10", child.awaitLine("called", WAIT));
                child.awaitErrLine("WARN chaos.duration of 1500ms is over", WAIT);
                child.awaitErrLine("chaos disarmed: no new fault starts", WAIT);
                child.send("call 10");
                assertEquals("called n=10 thrown=0", child.awaitLine("called", WAIT));
            }
        }
    }
}
