package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each fault kind, seen from outside: what the application's calls experienced. */
class FaultsTest extends ChildJvmTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void exceptionAtProbabilityOneHitsEveryCallWithTheDefaultTypeAndMessage(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .run("calls", "500", "plain", "sibling");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(500, r.count("plain ", "thrown"), r::toString);
        assertEquals("java.lang.RuntimeException:500,", r.field("plain ", "kinds"), r::toString);
        assertEquals("injected_by_chaos-agent_rule_'r'", r.field("plain-first", "message"), r::toString);
        assertTrue(r.field("plain-first", "top").startsWith(TARGET + ".plain("),
                "the trace starts at the woven method, not in the agent\n" + r);
        assertEquals(0, r.count("sibling ", "thrown"), () -> "an unnamed method of the same class was hit\n" + r);
        assertTrue(r.stderr().contains("[chaos-agent] INFO rule 'r' wove " + TARGET + "#plain(int) (1 method so far)"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void probabilityZeroNeverFires(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 0.0)
                .run("calls", "20000", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("plain ", "thrown"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void disarmedNothingFiresEvenAtProbabilityOne(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk)
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .run("calls", "20000", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("plain ", "thrown"), r::toString);
        assertTrue(r.stderr().contains("disarmed (set chaos.armed=true to arm)"), r::toString);
    }

    /**
     * p = 0.1 over 100 000 calls: the count lies within the exact binomial bounds at alpha about
     * 1e-9, and a fixed seed makes it the same number on every run and every JDK.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void intermediateProbabilityIsWithinBinomialBoundsAndReproducibleWithASeed(Jdk jdk) {
        ChildJvm child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 20261125)
                .rule("r", TARGET + "#plain", "exception", 0.1);
        long first = child.run("calls", "100000", "plain").count("plain ", "thrown");
        long second = child.run("calls", "100000", "plain").count("plain ", "thrown");
        assertTrue(first >= 9425 && first <= 10584, "injections " + first + " outside [9425, 10584]");
        assertEquals(first, second, "the same seed must give the same decisions");
    }

    /** A rule's own seed replaces the agent's for that rule: its decisions repeat whatever chaos.seed is. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRulesOwnSeedRepeatsItsDecisionsWhateverTheAgentsSeed(Jdk jdk) {
        java.util.List<String> own = new java.util.ArrayList<>();
        java.util.List<String> agents = new java.util.ArrayList<>();
        for (long agentSeed : new long[] {1, 2}) {
            ChildJvm child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", agentSeed)
                    .rule("r", TARGET + "#plain", "exception", 0.3).prop("chaos.rule.r.seed", 77)
                    .rule("s", TARGET + "#sibling", "exception", 0.3);
            own.add(child.run("threads-calls", "2", "2000", "plain").field("threads-calls", "patterns"));
            agents.add(child.run("threads-calls", "2", "2000", "sibling").field("threads-calls", "patterns"));
        }
        assertEquals(own.get(0), own.get(1), "rule r decides by its seed 77 alone");
        assertTrue(!agents.get(0).equals(agents.get(1)), "rule s follows chaos.seed: " + agents);
    }

    @org.junit.jupiter.api.Test
    void aSeedGivesTheSameDecisionsOnEveryJdk() {
        java.util.List<Long> counts = new java.util.ArrayList<>();
        java.util.List<String> patterns = new java.util.ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            ChildJvm child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 99)
                    .rule("r", TARGET + "#plain", "exception", 0.3);
            counts.add(child.run("calls", "20000", "plain").count("plain ", "thrown"));
            patterns.add(child.run("threads-calls", "4", "3000", "plain").field("threads-calls", "patterns"));
        }
        assertEquals(1, new java.util.HashSet<>(counts).size(), "counts per JDK: " + counts);
        assertEquals(1, new java.util.HashSet<>(patterns).size(), "each named thread's decisions per JDK: " + patterns);
    }

    /**
     * The promise of a fixed seed under threads: the n-th call of a method on a thread of a given
     * name is hit or not the same way in every run, however the 8 threads interleave; and threads
     * do not repeat each other's decisions.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aSeedRepeatsEachNamedThreadsDecisionsWhateverTheInterleaving(Jdk jdk) {
        ChildJvm child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 20261203)
                .rule("r", TARGET + "#plain", "exception", 0.3);
        ChildJvm.Result first = child.run("threads-calls", "8", "20000", "plain");
        ChildJvm.Result second = child.run("threads-calls", "8", "20000", "plain");
        String[] patterns = first.field("threads-calls", "patterns").split(",");
        assertEquals(8, patterns.length, first::toString);
        assertEquals(8, new java.util.HashSet<>(java.util.Arrays.asList(patterns)).size(), "threads repeating each other: " + first);
        assertEquals(first.field("threads-calls", "patterns"), second.field("threads-calls", "patterns"));
        long thrown = first.count("threads-calls", "thrown");
        // 160 000 calls at p=0.3: mean 48 000, sigma 183; 5 sigma either side
        assertTrue(thrown >= 47_084 && thrown <= 48_916, "injections " + thrown + " outside 5 sigma of 48 000");
    }

    /** Threads that share a name (virtual threads, unnamed pools) still decide independently: 200 of them, one call each, p=0.5. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void threadsOfOneNameDecideIndependently(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", TARGET + "#plain", "exception", 0.5)
                .run("threads-calls", "200", "1", "plain", "one-name");
        long thrown = r.count("threads-calls", "thrown");
        // binomial(200, 0.5): mean 100, sigma 7.07; 5 sigma either side
        assertTrue(thrown >= 65 && thrown <= 135, "injections " + thrown + " outside 5 sigma of 100\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void latencyDelaysEveryCallByTheConfiguredTime(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#sleepy", "latency", 1.0).prop("chaos.rule.r.latency", "20ms")
                .run("calls", "10", "sleepy");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("sleepy ", "thrown"), r::toString);
        assertTrue(r.count("sleepy ", "ms") >= 200, () -> "10 calls delayed 20ms each took less than 200ms\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void latencyRangeStaysWithinItsBounds(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#sleepy", "latency", 1.0).prop("chaos.rule.r.latency", "5ms..15ms")
                .run("calls", "20", "sleepy");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.count("sleepy ", "ms") >= 100, () -> "20 calls delayed at least 5ms each took less than 100ms\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void latencyPlusExceptionSleepsThenThrows(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#checkedIo", "latency+exception", 1.0)
                .prop("chaos.rule.r.latency", "30ms").prop("chaos.rule.r.exception", "java.io.IOException")
                .prop("chaos.rule.r.message", "upstream timed out")
                .run("calls", "5", "checkedIo");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("java.io.IOException:5,", r.field("checkedIo ", "kinds"), r::toString);
        assertEquals("upstream_timed_out", r.field("checkedIo-first", "message"), r::toString);
        assertTrue(r.count("checkedIo ", "ms") >= 150, () -> "5 calls delayed 30ms each took less than 150ms\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void interruptedLatencyStopsSleepingKeepsTheFlagAndTheMethodProceeds(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("r", TARGET + "#sleepy", "latency", 1.0).prop("chaos.rule.r.latency", "1m")
                .prop("chaos.summary", "50ms")
                .run("interrupt");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("TIMED_WAITING", r.field("sleeping", "state"), r::toString);
        assertEquals("true", r.field("worker", "interrupted"), r::toString);
        assertTrue(r.count("worker", "returned-ms") < 30_000, () -> "the delay was not cut short by the interrupt\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void killEndsPoolWorkersThePoolRecoversAndTheJvmLives(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 7)
                .rule("k", TARGET + "#killable", "kill", 0.05)
                .run("pool", "2000");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("true", r.field("pool", "done"), r::toString);
        long completed = r.count("pool", "completed");
        long killed = r.count("pool", "killed");
        assertEquals(2000, completed + killed, r::toString);
        // 2000 calls at p=0.05: exact binomial bounds at alpha about 1e-9 are [48, 160].
        assertTrue(killed >= 48 && killed <= 160, () -> "kills " + killed + "\n" + r);
        assertEquals(4, r.count("pool", "size"), () -> "the pool is back to its 4 workers\n" + r);
        assertEquals(4 + killed, r.count("pool", "created"), () -> "each killed worker is replaced once\n" + r);
        assertEquals(4, r.count("pool", "largest"), () -> "never more than 4 workers at once\n" + r);
        assertTrue(r.stdout().contains("main alive=true"), r::toString);
    }

    /**
     * The delays a rule drew, read from a flight recording (each injection's event carries its delay):
     * what the agent decided, free of how long the OS took to wake the thread.
     */
    private static List<Long> drawnDelays(java.nio.file.Path recording) throws java.io.IOException {
        List<Long> out = new ArrayList<>();
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("dev.chaosagent.Injection")) {
                out.add(e.getDuration("delay").toNanos());
            }
        }
        return out;
    }

    /** The samples at or below a true quantile q are binomial(n, q): within 5 standard deviations. */
    private static void assertQuantile(List<Long> samples, double q, double trueNanos, String what) {
        long n = samples.size();
        long atOrBelow = samples.stream().filter(v -> v <= trueNanos).count();
        double sd = Math.sqrt(n * q * (1 - q));
        assertTrue(Math.abs(atOrBelow - n * q) <= 5 * sd, () -> what + ": " + atOrBelow + " of " + n + " delays at or below "
                + trueNanos + " ns, expected " + n * q + " +- " + 5 * sd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void latencyDistributionsHaveTheQuantilesTheyWereGiven(Jdk jdk, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<Long> delays = recordedDelays(jdk, dir, "lognormal(p50=2ms,p99=20ms)");
        assertQuantile(delays, 0.50, 2e6, "lognormal p50");
        assertQuantile(delays, 0.99, 20e6, "lognormal p99");

        List<Long> draws = recordedDelays(jdk, dir, "exp(mean=2ms)");
        assertQuantile(draws, 0.50, 2e6 * Math.log(2), "exponential p50");
        assertQuantile(draws, 0.99, 2e6 * Math.log(100), "exponential p99");

        List<Long> cut = recordedDelays(jdk, dir, "exp(mean=2ms,max=6ms)");
        assertTrue(cut.stream().allMatch(v -> v <= 6_000_000), "capped at 6 ms");
        assertQuantile(cut, 1 - Math.exp(-3), 6e6 - 1, "below the cap"); // P(exp(2 ms) < 6 ms)
    }

    /** The README's promise: a fixed seed repeats the delays drawn, to the nanosecond, on every JDK. */
    @org.junit.jupiter.api.Test
    void aSeedGivesTheSameDelaysOnEveryJdk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String latency : List.of("lognormal(p50=2ms,p99=20ms)", "exp(mean=2ms)")) {
            List<List<Long>> perJdk = new ArrayList<>();
            for (Jdk jdk : Jdk.all()) {
                List<Long> delays = new ArrayList<>(recordedDelays(jdk, java.nio.file.Files.createTempDirectory(dir, "jdk"), latency));
                java.util.Collections.sort(delays); // the recording's order follows the interleaving; the draws do not
                perJdk.add(delays);
            }
            assertEquals(perJdk.get(0), perJdk.get(1), latency + ": the delays drawn on " + Jdk.all());
        }
    }

    /** 16 threads x 250 calls under a latency rule with a fixed seed, recorded: the 4,000 delays drawn. */
    private static List<Long> recordedDelays(Jdk jdk, java.nio.file.Path dir, String latency) throws java.io.IOException {
        java.nio.file.Path recording = dir.resolve("delays-" + Integer.toHexString(latency.hashCode()) + ".jfr");
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 5)
                .rule("slow", TARGET + "#plain", "latency", 1.0).prop("chaos.rule.slow.latency", latency)
                .jvm("-XX:StartFlightRecording=filename=" + recording + ",settings=default").run("threads-calls", "16", "250", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        List<Long> delays = drawnDelays(recording);
        assertEquals(4000, delays.size(), r::toString);
        return delays;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aThreadsConditionAimsARuleAtOnePool(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 8).prop("chaos.poll", "100ms")
                .rule("pool", TARGET + "#plain", "exception", 1.0).prop("chaos.rule.pool.threads", "order-worker-*;checkout-?")
                .rule("rate", TARGET + "#sibling", "exception", 0.3).prop("chaos.rule.rate.threads", "order-worker-*")
                .start("serve")) {
            child.awaitLine("serving", Duration.ofSeconds(60));
            child.send("named-calls order-worker-1,other,checkout-7,checkout-77,order-worker-2 100 plain");
            assertEquals("named-calls order-worker-1=100 other=0 checkout-7=100 checkout-77=0 order-worker-2=100",
                    child.awaitLine("named-calls", Duration.ofSeconds(60)), "a renamed thread is judged by its new name");
            child.send("call 50"); // the main thread is no order worker
            assertEquals("called n=50 thrown=0", child.awaitLine("called", Duration.ofSeconds(60)));
            child.send("named-calls order-worker-3,main-ish 4000 sibling");
            String line = child.awaitLine("named-calls", Duration.ofSeconds(60));
            long hit = Long.parseLong(ChildJvm.Running.field(line, "order-worker-3"));
            double sd = Math.sqrt(4000 * 0.3 * 0.7);
            assertTrue(Math.abs(hit - 1200) <= 5 * sd, () -> hit + " of 4000 matching calls hit at p=0.3\n" + child);
            assertEquals("0", ChildJvm.Running.field(line, "main-ish"));
            try (javax.management.remote.JMXConnector jmx = Jmx.attach(child.pid())) {
                javax.management.MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("pool"), Duration.ofSeconds(60));
                assertEquals(300L, Jmx.get(c, Jmx.rule("pool"), "Calls"), "only the matching threads' calls are the rule's");
                assertEquals(4000L, Jmx.get(c, Jmx.rule("rate"), "Calls"));
                assertEquals(hit, Jmx.get(c, Jmx.rule("rate"), "Injections"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aHangEndsOnlyByDisableRemovalDisarmOrInterrupt(Jdk jdk) throws Exception {
        Duration wait = Duration.ofSeconds(60);
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.poll", "100ms")
                .rule("stuck", TARGET + "#sleepy", "hang", 1.0).prop("chaos.rule.stuck.max-concurrent", 1).start("serve")) {
            // Attach only once the child runs main: a JVM still starting up can fail the attach's
            // startLocalManagementAgent with a NullPointerException inside itself (seen twice here).
            child.awaitLine("serving", wait);
            hangEnds(child, wait);
        }
    }

    private static void hangEnds(ChildJvm.Running child, Duration wait) throws Exception {
        try (javax.management.remote.JMXConnector jmx = Jmx.attach(child.pid())) {
            javax.management.MBeanServerConnection c = jmx.getMBeanServerConnection();
            String rule = Jmx.rule("stuck");
            Jmx.awaitRegistered(c, rule, wait);
            String[] ends = {"disable", "disarm", "interrupt", "remove"};
            for (String end : ends) {
                child.send("sleep-bg");
                assertEquals("sleeping state=WAITING", child.awaitLine("sleeping", wait), end);
                assertEquals(1, Jmx.get(c, rule, "Hanging"), end);
                if (end.equals("disable")) {
                    child.send("invoke 1 sleepy"); // the cap of 1 is taken by the sleeper: this call runs unharmed
                    assertEquals("invoked m=sleepy n=1 thrown=0 kind=- message=-", child.awaitLine("invoked", wait));
                    assertEquals(1L, Jmx.get(c, rule, "Capped"));
                    Jmx.set(c, rule, "Enabled", false);
                } else if (end.equals("disarm")) {
                    Jmx.invoke(c, Jmx.AGENT, "disarm");
                } else if (end.equals("interrupt")) {
                    child.send("interrupt-sleeper");
                } else {
                    Jmx.invoke(c, Jmx.AGENT, "removeRule", "stuck");
                }
                String woke = child.awaitLine("woke", wait);
                assertEquals("false", ChildJvm.Running.field(woke, "thrown"), end + ": the method proceeds");
                assertEquals(String.valueOf(end.equals("interrupt")), ChildJvm.Running.field(woke, "interrupted"),
                        end + ": the interrupt flag is set again only after an interrupt");
                if (!end.equals("remove")) {
                    assertEquals(0, Jmx.get(c, rule, "Hanging"), end);
                    Jmx.set(c, rule, "Enabled", true);
                    Jmx.invoke(c, Jmx.AGENT, "arm");
                }
            }
            assertFalse(Jmx.registered(c, rule), "removed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void argumentConditionsHurtOneTenantsCallsOnly(Jdk jdk) throws Exception {
        Duration wait = Duration.ofSeconds(60);
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 4).prop("chaos.poll", "100ms")
                .rule("tenant", TARGET + "#mixed", "exception", 0.5).prop("chaos.rule.tenant.arg.1", "acme-test-*")
                .prop("chaos.rule.tenant.arg.2", "1.5")
                .rule("one", TARGET + "#plain", "exception", 1.0).prop("chaos.rule.one.arg.0", "1")
                .rule("missing", TARGET + "#sibling", "exception", 1.0).prop("chaos.rule.missing.arg.3", "x").start("serve")) {
            child.awaitLine("serving", wait);
            child.send("mixed-calls acme-test-1 1.5 4000");
            long hit = Long.parseLong(ChildJvm.Running.field(child.awaitLine("mixed-calls", wait), "thrown"));
            assertTrue(Math.abs(hit - 2000) <= 5 * Math.sqrt(4000 * 0.25), () -> hit + " of 4000 matching calls hit at p=0.5");
            for (String other : new String[] {"acme-prod 1.5", "acme-test-1 2.5", "null 1.5"}) {
                child.send("mixed-calls " + other + " 1000");
                assertEquals("mixed-calls thrown=0", child.awaitLine("mixed-calls", wait), other);
            }
            child.send("call 10"); // plain(0) .. plain(9): only plain(1)'s int argument, boxed, reads "1"
            assertEquals("called n=10 thrown=1", child.awaitLine("called", wait));
            child.awaitErrLine("WARN rule 'missing' skips " + TARGET + "#sibling(int): chaos.rule.missing.arg.3 names an argument"
                    + " it does not have (it takes 1)", wait);
            try (javax.management.remote.JMXConnector jmx = Jmx.attach(child.pid())) {
                javax.management.MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("tenant"), wait);
                assertEquals(4000L, Jmx.get(c, Jmx.rule("tenant"), "Calls"), "only the matching calls are the rule's");
                assertEquals(hit, Jmx.get(c, Jmx.rule("tenant"), "Injections"));
                Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.rule.tenant.arg.1", "acme-prod"); // a new glob, live
                child.send("mixed-calls acme-prod 1.5 400");
                long prod = Long.parseLong(ChildJvm.Running.field(child.awaitLine("mixed-calls", wait), "thrown"));
                assertTrue(prod > 0 && prod < 400, () -> prod + " of 400");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void copiesOfAClassInDifferentLoadersDecideIndependentlyAndASeedRepeatsThem(Jdk jdk) {
        ChildJvm.Result[] runs = new ChildJvm.Result[3];
        long[] seeds = {21, 21, 22};
        for (int i = 0; i < runs.length; i++) {
            runs[i] = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", seeds[i])
                    .rule("copies", TARGET + "#plain", "exception", 0.5).run("copies", "200");
            assertEquals(0, runs[i].exitCode(), runs[i]::toString);
        }
        long thrown = runs[0].count("copies", "thrown");
        // one call in each of 200 loaders at p=0.5: binomial, 5 sigma; all or none would be 0 or 200
        assertTrue(Math.abs(thrown - 100) <= 5 * Math.sqrt(200 * 0.25), () -> thrown + " of 200 copies fired\n" + runs[0]);
        assertEquals(runs[0].field("copies", "pattern"), runs[1].field("copies", "pattern"), "the same seed repeats the run");
        assertTrue(!runs[0].field("copies", "pattern").equals(runs[2].field("copies", "pattern")), "another seed, another run");
    }
}
