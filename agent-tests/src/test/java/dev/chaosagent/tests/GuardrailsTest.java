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
        assertEquals(4, r.count("threads-calls", "peak"), () -> "at most 4 threads in the delay at once, and 4 together\n" + r);
        assertTrue(r.stderr().contains("final: rule 'slow' left 12 calls at its concurrency cap unharmed"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theRateCapHoldsOverASlidingSecond(Jdk jdk) {
        ChildJvm.Result r = armed(jdk).rule("r", TARGET + "#plain", "exception", 1.0).prop("chaos.rule.r.max-rate", 50)
                .run("timed-calls", "1500", "plain");
        long thrown = r.count("timed-calls", "thrown");
        // 50 in the first second at once, then at most 50 more before 1.5 s: never more than two windows' worth
        assertTrue(thrown >= 50 && thrown <= 100, () -> thrown + " injections in 1.5 s at max-rate 50\n" + r);
        long calls = r.count("timed-calls", "calls");
        assertTrue(r.stderr().contains("final: rule 'r' left " + (calls - thrown) + " calls at its rate limit unharmed"), r::toString);
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
            child.awaitErrLine("INFO chaos disarmed: no new fault starts (duration)", WAIT);
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
                child.awaitErrLine("INFO chaos disarmed: no new fault starts (duration)", WAIT);
                child.send("call 10");
                assertEquals("called n=10 thrown=0", child.awaitLine("called", WAIT));
            }
        }
    }

    private static boolean configSource(MBeanServerConnection c, String line) throws Exception {
        return java.util.Arrays.asList((String[]) Jmx.get(c, Jmx.AGENT, "ConfigSources")).contains(line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theLeaseKeepsTheAgentArmedWhileRenewedAndDisarmsItWhenNobodyRenews(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.seed", 11).prop("chaos.poll", "100ms").prop("chaos.lease", "2s")
                .rule("r", TARGET + "#plain", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                assertEquals("", Jmx.get(c, Jmx.AGENT, "LeaseExpires"), "no lease runs while disarmed");
                Jmx.invoke(c, Jmx.AGENT, "arm"); // an arm starts the lease
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // two and a half leases
                while (System.nanoTime() < end) {
                    Jmx.invoke(c, Jmx.AGENT, "renewLease");
                    assertEquals(true, Jmx.get(c, Jmx.AGENT, "Armed"), child::toString);
                    Thread.sleep(250); // the renewing operator's pace, an eighth of the lease
                }
                assertEquals(10, thrown(child, 10));
                assertFalse(((String) Jmx.get(c, Jmx.AGENT, "LeaseExpires")).isEmpty());
                assertEquals("", Jmx.get(c, Jmx.AGENT, "LeaseLapsed"));

                long renewed = System.nanoTime();
                Jmx.invoke(c, Jmx.AGENT, "renewLease"); // the last renewal: the operator goes away
                String lapsed = child.awaitErrLine("WARN chaos.lease of 2s lapsed at ", WAIT);
                long afterMs = (System.nanoTime() - renewed) / 1_000_000;
                assertTrue(afterMs >= 1950, () -> "lapsed " + afterMs + " ms after a renewal of a 2 s lease\n" + child);
                assertTrue(lapsed.endsWith(": chaos-agent disarms itself"), lapsed);
                child.awaitErrLine("INFO chaos disarmed: no new fault starts (lease)", WAIT);
                assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
                String when = (String) Jmx.get(c, Jmx.AGENT, "LeaseLapsed");
                assertTrue(lapsed.contains("lapsed at " + when + " (last renewed at "), () -> when + "\n" + lapsed);
                assertEquals("", Jmx.get(c, Jmx.AGENT, "LeaseExpires"));
                assertTrue(configSource(c, "chaos.armed=false (lease)"), () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));
                assertEquals(0, thrown(child, 10));

                String pid = Long.toString(child.pid());
                ChildJvm.Result arm = cli(jdk, "arm", pid);
                assertEquals(0, arm.exitCode(), arm::toString);
                child.awaitErrLine("INFO chaos ARMED: rules now fire (cli)", WAIT);
                ChildJvm.Result renew = cli(jdk, "renew", pid);
                assertEquals(0, renew.exitCode(), renew::toString);
                assertTrue(renew.stdout().startsWith("lease renewed: it lapses at "), renew::toString);
                assertEquals(10, thrown(child, 10));
                child.awaitErrLine("WARN chaos.lease of 2s lapsed at ", WAIT);
                child.awaitErrLine("INFO chaos disarmed: no new fault starts (lease)", WAIT); // logged once it is in force
                assertEquals(0, thrown(child, 10));
                ChildJvm.Result idle = cli(jdk, "renew", pid);
                assertEquals(0, idle.exitCode(), idle::toString);
                assertTrue(idle.stdout().startsWith("no lease runs"), idle::toString);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aStopConditionOnAnMBeanAttributeDisarmsTheAgent(Jdk jdk) throws Exception {
        String db = "fixture:type=Pool (db)#ThreadsAwaitingConnection > 5";
        try (ChildJvm.Running child = armed(jdk).rule("r", TARGET + "#plain", "exception", 1.0)
                .prop("chaos.stop.db", db)
                .prop("chaos.stop.heap", "java.lang:type=Memory#HeapMemoryUsage.used < 0")
                .prop("chaos.stop.missing", "nosuch:type=Thing#Count >= 1").start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("gauge 3");
            child.awaitLine("gauge", WAIT);
            // checks go by name: db, heap, missing; once missing is reported, db was read at 3
            child.awaitErrLine("WARN chaos.stop.missing=nosuch:type=Thing#Count >= 1 cannot be read: "
                    + "javax.management.InstanceNotFoundException: nosuch:type=Thing; it does not disarm the agent", WAIT);
            assertEquals(10, thrown(child, 10), "3 threads waiting is not above 5");

            child.send("gauge 6");
            child.awaitErrLine("WARN stop condition 'db' holds: " + db + ", saw 6: chaos-agent disarms itself", WAIT);
            child.awaitErrLine("INFO chaos disarmed: no new fault starts (stop db)", WAIT);
            assertEquals(0, thrown(child, 10));
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                String last = (String) Jmx.get(c, Jmx.AGENT, "LastStop");
                assertTrue(last.endsWith(" stop 'db': " + db + ", saw 6"), last);
                assertTrue(configSource(c, "chaos.armed=false (stop db)"), () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));

                Jmx.invoke(c, Jmx.AGENT, "arm"); // still 6: the next check disarms again
                child.awaitErrLine("WARN stop condition 'db' holds: " + db + ", saw 6", WAIT);
                child.awaitErrLine("INFO chaos disarmed: no new fault starts (stop db)", WAIT);
                child.send("gauge 0");
                child.awaitLine("gauge", WAIT);
                Jmx.invoke(c, Jmx.AGENT, "arm");
                child.send("gauge 9");
                child.awaitErrLine("WARN stop condition 'db' holds: " + db + ", saw 9", WAIT);
                child.awaitErrLine("INFO chaos disarmed: no new fault starts (stop db)", WAIT);
                assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
            }
            assertEquals(1, occurrences(child.stderrSoFar(), "chaos.stop.missing="), () -> "reported once\n" + child);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void everyChangeIsLoggedOnceWithItsOrigin(Jdk jdk, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("chaos.properties");
        java.nio.file.Files.writeString(file, "chaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\n"
                + "chaos.rule.r.probability=1\n");
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.poll", "100ms").prop("chaos.config", file).start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("set chaos.armed true");
            String armed = "INFO chaos ARMED: rules now fire (system property)";
            child.awaitErrLine(armed, WAIT);
            // written beside it and moved into place: a poll never reads a half-written file
            java.nio.file.Path next = dir.resolve("chaos.properties.next");
            java.nio.file.Files.writeString(next, "chaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\n"
                    + "chaos.rule.r.probability=0.5\n");
            java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            String edited = "INFO rule 'r' probability 1.0 -> 0.5 (file " + file + ")";
            child.awaitErrLine(edited, WAIT);
            String budget = "INFO max-injections (none) -> 10 (jmx)";
            String rate = "INFO rule 'r' max-rate (none) -> 5 (cli)";
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.max-injections", "10");
                child.awaitErrLine(budget, WAIT);
                ChildJvm.Result set = cli(jdk, "set", Long.toString(child.pid()), "chaos.rule.r.max-rate=5");
                assertEquals(0, set.exitCode(), set::toString);
                child.awaitErrLine(rate, WAIT);
                assertTrue(configSource(c, "chaos.rule.r.max-rate=5 (cli)"), () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));
                assertTrue(configSource(c, "chaos.max-injections=10 (jmx)"), () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));
                assertTrue(configSource(c, "chaos.rule.r.probability=0.5 (file " + file + ")"),
                        () -> Jmx.show(c, Jmx.AGENT, "ConfigSources"));
            }
            child.send("quit");
            String err = child.await(WAIT).stderr();
            for (String line : new String[] {armed, edited, budget, rate}) {
                assertEquals(1, occurrences(err, line), () -> "once: " + line + "\n" + err);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theGuardrailCountersReadOverJmx(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = armed(jdk).rule("budget", TARGET + "#plain", "exception", 1.0)
                .prop("chaos.rule.budget.max-injections", 5)
                .rule("slow", TARGET + "#sleepy", "latency", 1.0).prop("chaos.rule.slow.latency", "30s")
                .prop("chaos.rule.slow.max-concurrent", 1)
                .rule("dry", TARGET + "#sibling", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("budget"), WAIT);
                assertEquals(5L, Jmx.get(c, Jmx.rule("budget"), "RemainingInjections"));
                assertEquals(-1L, Jmx.get(c, Jmx.rule("slow"), "RemainingInjections"), "no budget");
                assertEquals(5, thrown(child, 8));
                assertEquals(0L, Jmx.get(c, Jmx.rule("budget"), "RemainingInjections"));
                assertEquals(5L, Jmx.get(c, Jmx.rule("budget"), "Injections"));

                child.send("sleep-bg"); // one thread in the 30 s delay fills the cap of 1
                assertEquals("sleeping state=TIMED_WAITING", child.awaitLine("sleeping", WAIT));
                child.send("invoke 3 sleepy");
                assertEquals("invoked m=sleepy n=3 thrown=0 kind=- message=-", child.awaitLine("invoked", WAIT));
                assertEquals(3L, Jmx.get(c, Jmx.rule("slow"), "Capped"));

                Jmx.set(c, Jmx.rule("slow"), "Enabled", false);
                child.awaitLine("woke", WAIT);
                Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.dry-run", "true");
                child.send("invoke 10 sibling");
                assertEquals("invoked m=sibling n=10 thrown=0 kind=- message=-", child.awaitLine("invoked", WAIT));
                assertEquals(10L, Jmx.get(c, Jmx.rule("dry"), "WouldInject"));
                assertEquals(0L, Jmx.get(c, Jmx.rule("dry"), "Injections"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theAgentsJmxWorkIsExemptFromARuleOnAJdkMethodItUses(Jdk jdk) throws Exception {
        // The applier copies the configuration into a TreeMap on every write; the fixture's own calls never use one.
        // The agent creates the platform MBean server on its control thread once start-up settles; the
        // test attaches after that (a client that attaches first creates it on the JVM's attach thread,
        // which the rule hits like any other thread of the application).
        try (ChildJvm.Running child = armed(jdk).prop("chaos.log.level", "debug").rule("maps", "java.util.TreeMap#put", "exception", 1.0)
                .rule("r", TARGET + "#plain", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            child.awaitErrLine("MXBeans registered", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("maps"), WAIT);
                assertTrue(((String[]) Jmx.get(c, Jmx.AGENT, "ConfigSources")).length > 0);
                Jmx.set(c, Jmx.rule("r"), "Probability", 0.5);
                Jmx.invoke(c, Jmx.AGENT, "disarm");
                assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
                assertEquals(0L, Jmx.get(c, Jmx.rule("maps"), "Injections"), "nothing the agent did was hit");
            }
        }
    }
}
