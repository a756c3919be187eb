package dev.chaosagent.tests;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules added, changed and removed while the JVM runs, through every source, on classes loaded
 * and in use before the change: what the application's calls see, what the agent says, what JMX
 * shows, and what the class bytes are after a rule is gone.
 */
class LiveRulesTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long POLL_MS = 500; // the first weaving of a JVM loads the weaver: leave it room inside two polls
    private static final String KILL = "dev.chaosagent.bootstrap.ChaosThreadKill";

    private static ChildJvm serving(Jdk jdk) {
        return ChildJvm.on(jdk).prop("chaos.poll", POLL_MS + "ms").prop("chaos.armed", true).prop("chaos.seed", 3);
    }

    /** {@code invoke n method} in the child: the line it printed. */
    private static String invoke(ChildJvm.Running child, int n, String method) {
        child.send("invoke " + n + " " + method);
        return child.awaitLine("invoked m=" + method + " ", WAIT);
    }

    private static long thrown(ChildJvm.Running child, int n, String method) {
        return Long.parseLong(ChildJvm.Running.field(invoke(child, n, method), "thrown"));
    }

    private static String kind(ChildJvm.Running child, String method) {
        return ChildJvm.Running.field(invoke(child, 5, method), "kind");
    }

    /** The application itself calls System.setProperty. */
    private static void set(ChildJvm.Running child, String key, String value) {
        child.send("set " + key + " " + value);
        child.awaitLine("set " + key, WAIT);
    }

    private static void clear(ChildJvm.Running child, String key) {
        child.send("clear " + key);
        child.awaitLine("cleared " + key, WAIT);
    }

    /** How long until a call of the method throws, measured in the child from the moment it is asked. */
    private static long msUntilThrown(ChildJvm.Running child, String method) {
        child.send("until-thrown " + method + " 30000");
        String line = child.awaitLine("until-thrown", WAIT);
        assertEquals("true", ChildJvm.Running.field(line, "seen"), () -> "no fault within 30 s\n" + child);
        return Long.parseLong(ChildJvm.Running.field(line, "after-ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theApplicationsOwnSystemPropertiesAddChangeAndRemoveARule(Jdk jdk) {
        try (ChildJvm.Running child = serving(jdk).start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals(0, thrown(child, 10, "plain"), "Target is loaded and runs unwoven");

            set(child, "chaos.rule.x.target", TARGET + "#plain");
            child.awaitErrLine("INFO chaos.rule.x is incomplete: waiting for chaos.rule.x.fault, chaos.rule.x.probability", WAIT);
            set(child, "chaos.rule.x.fault", "exception");
            child.awaitErrLine("INFO chaos.rule.x is incomplete: waiting for chaos.rule.x.probability", WAIT);
            set(child, "chaos.rule.x.probability", "1");
            long ms = msUntilThrown(child, "plain");
            assertTrue(ms <= 2 * POLL_MS, () -> "the rule took " + ms + " ms, more than two polls\n" + child);
            child.awaitErrLine("INFO rule 'x' added: exception java.lang.RuntimeException p=1.0 on " + TARGET + "#plain; 1 method woven",
                    WAIT);
            assertEquals(10, thrown(child, 10, "plain"));

            set(child, "chaos.rule.x.target", TARGET + "#sibling");
            child.awaitErrLine("rule 'x' target " + TARGET + "#plain -> " + TARGET + "#sibling", WAIT);
            assertEquals(0, thrown(child, 10, "plain"), "the method the rule no longer names is restored");
            assertEquals(10, thrown(child, 10, "sibling"), "the newly named one is woven");

            set(child, "chaos.rule.x.exception", "java.lang.IllegalStateException");
            child.awaitErrLine("rule 'x' exception java.lang.RuntimeException -> java.lang.IllegalStateException", WAIT);
            assertEquals("java.lang.IllegalStateException", kind(child, "sibling"));

            set(child, "chaos.rule.x.fault", "kill");
            child.awaitErrLine("rule 'x' fault exception -> kill", WAIT);
            assertEquals(KILL, kind(child, "sibling"));

            set(child, "chaos.rule.x.fault", "explode");
            child.awaitErrLine("ERROR chaos.rule.x.fault=explode must be one of exception, latency, kill, latency+exception, hang, return;"
                    + " rule 'x' keeps kill", WAIT);
            assertEquals(KILL, kind(child, "sibling"), "an invalid change keeps the rule as it was");

            clear(child, "chaos.rule.x.exception");
            clear(child, "chaos.rule.x.fault");
            clear(child, "chaos.rule.x.probability");
            clear(child, "chaos.rule.x.target");
            child.awaitErrLine("INFO rule 'x' removed", WAIT);
            assertEquals(0, thrown(child, 10, "sibling"));
            assertEquals(0, thrown(child, 10, "plain"));
            String err = child.stderrSoFar();
            assertEquals(1, occurrences(err, "chaos.rule.x is incomplete: waiting for chaos.rule.x.fault, chaos.rule.x.probability"),
                    () -> "an incomplete rule is reported once\n" + child);
            assertEquals(1, occurrences(err, "chaos.rule.x.fault=explode must be"), () -> "one line per distinct problem\n" + child);
            assertFalse(err.contains("VerifyError") || err.contains("LinkageError"), child::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void editingTheConfigFileAddsChangesAndRemovesARule(Jdk jdk, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("chaos.properties");
        Files.writeString(file, "chaos.armed=true\nchaos.poll=" + POLL_MS + "ms\n");
        try (ChildJvm.Running child = ChildJvm.on(jdk).agentArgument(file.toString()).start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals(0, thrown(child, 10, "plain"));

            Files.writeString(file, "chaos.armed=true\nchaos.poll=" + POLL_MS + "ms\nchaos.rule.f.target=" + TARGET + "#plain\n"
                    + "chaos.rule.f.fault=exception\nchaos.rule.f.probability=1\nchaos.rule.f.message=from the file\n");
            long ms = msUntilThrown(child, "plain");
            assertTrue(ms <= 2 * POLL_MS, () -> "the rule took " + ms + " ms, more than two polls\n" + child);
            assertEquals("from_the_file", ChildJvm.Running.field(invoke(child, 3, "plain"), "message"));

            Files.writeString(file, "chaos.armed=true\nchaos.poll=" + POLL_MS + "ms\nchaos.rule.f.target=" + TARGET + "#instance\n"
                    + "chaos.rule.f.fault=latency+exception\nchaos.rule.f.latency=1ms\nchaos.rule.f.probability=1\n"
                    + "chaos.rule.f.exception=java.lang.UnsupportedOperationException\n");
            child.awaitErrLine("rule 'f' re-woven", WAIT);
            assertEquals(0, thrown(child, 10, "plain"));
            assertEquals("java.lang.UnsupportedOperationException", kind(child, "instance"));

            Files.writeString(file, "chaos.armed=true\nchaos.poll=" + POLL_MS + "ms\n");
            child.awaitErrLine("INFO rule 'f' removed", WAIT);
            assertEquals(0, thrown(child, 10, "instance"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void jmxDefinesReplacesAndRemovesRulesAndCountersBelongToTheRuleName(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk).rule("a", TARGET + "#plain", "exception", 1.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("a"), WAIT);
                assertEquals(10, thrown(child, 10, "plain"));
                assertEquals(10L, Jmx.get(c, Jmx.rule("a"), "Calls"));

                Jmx.invoke(c, Jmx.AGENT, "defineRule", "b",
                        "target=" + TARGET + "#sibling fault=exception probability=1 message=\"b fired\"");
                assertTrue(Jmx.registered(c, Jmx.rule("b")), "the rule's MXBean is there when defineRule returns");
                assertEquals("b_fired", ChildJvm.Running.field(invoke(child, 5, "sibling"), "message"),
                        "woven before defineRule returned");
                assertEquals("b fired", Jmx.systemProperty(c, "chaos.rule.b.message"), "written through to system properties");
                assertEquals(10, thrown(child, 10, "plain"));
                assertEquals(20L, Jmx.get(c, Jmx.rule("a"), "Calls"), "rule a's counters survive the retransformation of its class");
                assertEquals(20L, Jmx.get(c, Jmx.rule("a"), "Injections"));

                Jmx.invoke(c, Jmx.AGENT, "defineRule", "a", "target=" + TARGET + "#plain;" + TARGET + "#instance"
                        + " fault=exception exception=java.lang.IllegalStateException probability=1");
                assertEquals("java.lang.IllegalStateException", kind(child, "instance"));
                assertEquals(25L, Jmx.get(c, Jmx.rule("a"), "Calls"), "a replaced rule keeps its counters");
                assertEquals(2, Jmx.get(c, Jmx.rule("a"), "MethodsWoven"));
                assertEquals("[chaos.rule.a.exception=java.lang.IllegalStateException, chaos.rule.a.fault=exception,"
                                + " chaos.rule.a.probability=1, chaos.rule.a.target=" + TARGET + "#plain;" + TARGET + "#instance]",
                        Arrays.toString((String[]) Jmx.get(c, Jmx.rule("a"), "Keys")));

                Exception bad = assertThrows(Exception.class, () -> Jmx.invoke(c, Jmx.AGENT, "defineRule", "b",
                        "target=Target.sibling fault=exception probability=1"));
                assertEquals("chaos.rule.b.target=Target.sibling must be Class#method patterns separated by ';': pattern"
                        + " 'Target.sibling' is not of the form Class#method; rule 'b' keeps " + TARGET + "#sibling", Jmx.rootMessage(bad));
                assertEquals("b_fired", ChildJvm.Running.field(invoke(child, 5, "sibling"), "message"), "b is as it was");
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "b", "target=" + TARGET + "#sibling fault=kill probability=1");
                assertEquals(KILL, kind(child, "sibling"), "the fault changed through defineRule");
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "b",
                        "target=" + TARGET + "#sibling fault=exception probability=1 message=\"b fired\"");
                Exception incomplete = assertThrows(Exception.class, () -> Jmx.invoke(c, Jmx.AGENT, "defineRule", "c",
                        "target=" + TARGET + "#over"));
                assertEquals("chaos.rule.c is incomplete: waiting for chaos.rule.c.fault, chaos.rule.c.probability (every rule"
                        + " needs target, fault and probability); nothing changes", Jmx.rootMessage(incomplete));
                assertFalse(Jmx.registered(c, Jmx.rule("c")));
                assertEquals("", Jmx.systemProperty(c, "chaos.rule.c.target"));

                Exception missing = assertThrows(Exception.class, () -> Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.config",
                        "/nonexistent/chaos.properties"));
                assertEquals("chaos.config=/nonexistent/chaos.properties names no readable file; keeps no config file",
                        Jmx.rootMessage(missing));
                assertEquals(2, Jmx.get(c, Jmx.rule("a"), "MethodsWoven"), "the rules in force stay");

                Jmx.invoke(c, Jmx.AGENT, "removeRule", "b");
                assertFalse(Jmx.registered(c, Jmx.rule("b")), "the removed rule's MXBean is gone when removeRule returns");
                assertEquals(0, thrown(child, 10, "sibling"));
                assertEquals("", Jmx.systemProperty(c, "chaos.rule.b.message"));
                Exception none = assertThrows(Exception.class, () -> Jmx.invoke(c, Jmx.AGENT, "removeRule", "nosuch"));
                assertEquals("no rule 'nosuch' is defined (rules: a); nothing changes", Jmx.rootMessage(none));

                Jmx.invoke(c, Jmx.AGENT, "defineRule", "b", "target=" + TARGET + "#sibling fault=exception probability=1");
                assertEquals(0L, Jmx.get(c, Jmx.rule("b"), "Calls"), "a re-added rule starts at 0");
                assertEquals(0L, Jmx.get(c, Jmx.rule("b"), "Injections"));
                assertEquals(3, thrown(child, 3, "sibling"));
                assertEquals(3L, Jmx.get(c, Jmx.rule("b"), "Injections"));
                assertEquals("[a, b]", Arrays.toString((String[]) Jmx.get(c, Jmx.AGENT, "RuleNames")));
            }
        }
    }

    /**
     * A JVM whose rules weave nothing has no dispatcher yet. A counter read over JMX has one
     * defined (reading zeros); the first rule that weaves then puts its settings in force there.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void countersReadBeforeAnythingIsWovenAndARuleAddedLaterBothWork(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk).rule("idle", "nomatch.Nothing#plain", "exception", 1.0)
                .jvm("-Xlog:class+load=info:stdout").start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals(0, thrown(child, 5, "sibling"));
            assertFalse(child.stdoutSoFar().contains("[class,load] dev.chaosagent.bootstrap."), "no dispatcher yet");
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("idle"), WAIT);
                assertEquals(0L, Jmx.get(c, Jmx.rule("idle"), "Calls"));
                assertEquals(0L, Jmx.get(c, Jmx.rule("idle"), "Injections"));
                Jmx.invoke(c, Jmx.AGENT, "resetCounters");
                assertTrue(child.stdoutSoFar().contains("[class,load] dev.chaosagent.bootstrap.Dispatcher "),
                        "reading the counters defined the dispatcher");

                Jmx.invoke(c, Jmx.AGENT, "defineRule", "b", "target=" + TARGET + "#sibling fault=exception probability=1");
                assertEquals(3, thrown(child, 3, "sibling"), "the new rule's settings are in force in the dispatcher");
                assertEquals(3L, Jmx.get(c, Jmx.rule("b"), "Calls"));
                assertEquals(3L, Jmx.get(c, Jmx.rule("b"), "Injections"));
                assertEquals(0L, Jmx.get(c, Jmx.rule("idle"), "Calls"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void removingARuleRestoresTheClassByteForByte(Jdk jdk, @TempDir Path dir) throws Exception {
        Path recorder = RecorderJar.build(dir);
        try (ChildJvm.Running child = serving(jdk).rule("r", TARGET + "#plain", "exception", 1.0)
                .jvm("-javaagent:" + recorder).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("r"), WAIT);
                assertEquals(5, thrown(child, 5, "plain"));
                child.send("bytes");
                assertEquals("false", ChildJvm.Running.field(child.awaitLine("bytes", WAIT), "same"), "woven, the class differs");

                Jmx.invoke(c, Jmx.AGENT, "removeRule", "r");
                assertEquals(0, thrown(child, 5, "plain"));
                child.send("bytes");
                String restored = child.awaitLine("bytes", WAIT);
                assertEquals("true", ChildJvm.Running.field(restored, "same"),
                        () -> "woven at load and then unwoven, the class must be its class file again: " + restored + "\n" + child);

                // A class loaded before any rule named it: after the rule goes, it is what it was before.
                String nested = TARGET + "$Nested";
                invoke(child, 1, "nested");
                child.send("bytes " + nested);
                String before = ChildJvm.Running.field(child.awaitLine("bytes", WAIT), "crc");
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "n", "target=" + nested + "#inner fault=exception probability=1");
                assertEquals(3, thrown(child, 3, "nested"));
                child.send("bytes " + nested);
                assertNotEquals(before, ChildJvm.Running.field(child.awaitLine("bytes", WAIT), "crc"));
                Jmx.invoke(c, Jmx.AGENT, "removeRule", "n");
                child.send("bytes " + nested);
                assertEquals(before, ChildJvm.Running.field(child.awaitLine("bytes", WAIT), "crc"), child::toString);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRuleAddedAndRemoved200TimesUnder8CallingThreads(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk).prop("chaos.summary", "0").start("hammer", "8")) {
            child.awaitLine("hammering", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.AGENT, WAIT);
                String definition = "target=" + TARGET + "#plain fault=exception probability=0.5";
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "churn", definition); // the first weaving loads what weaving needs
                Jmx.invoke(c, Jmx.AGENT, "removeRule", "churn");
                Jmx.invoke(c, "java.lang:type=Memory", "gc");
                long metaspaceBefore = metaspaceUsed(c);
                long injectedWhileDefined = 0;
                for (int i = 0; i < 200; i++) {
                    Jmx.invoke(c, Jmx.AGENT, "defineRule", "churn", definition);
                    injectedWhileDefined += (Long) Jmx.get(c, Jmx.rule("churn"), "Injections");
                    Jmx.invoke(c, Jmx.AGENT, "removeRule", "churn");
                }
                Jmx.invoke(c, "java.lang:type=Memory", "gc");
                long metaspaceGrowth = metaspaceUsed(c) - metaspaceBefore;
                child.send("stop");
                String result = child.awaitLine("hammered", WAIT);
                assertEquals("0", ChildJvm.Running.field(result, "other"),
                        () -> "a call failed with something other than the injected fault, or returned a wrong value\n" + child);
                assertTrue(Long.parseLong(ChildJvm.Running.field(result, "injected")) > 0, result);
                assertTrue(injectedWhileDefined > 0, "faults fired while the rule was defined");
                assertTrue(metaspaceGrowth < 4L << 20, () -> "metaspace grew by " + metaspaceGrowth + " bytes\n" + child);
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "churn", definition);
                child.send("leak-check"); // a loader whose copy of Target the rule wove, then dropped
                assertEquals("loader collected=true", child.awaitLine("loader", WAIT), () -> "the agent keeps a class loader\n" + child);
                String err = child.stderrSoFar();
                assertFalse(err.contains("VerifyError") || err.contains("LinkageError") || err.contains("cannot retransform"),
                        child::toString);
                assertEquals(201, occurrences(err, "INFO rule 'churn' removed"), child::toString);
            } // closed before the child quits: closing a connection to a JVM that is exiting fails with an EOFException
            child.send("quit");
        }
    }

    private static long metaspaceUsed(MBeanServerConnection c) throws Exception {
        CompositeData usage = (CompositeData) Jmx.get(c, "java.lang:type=MemoryPool,name=Metaspace", "Usage");
        return (Long) usage.get("used");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aSecondLoadOfTheAgentStartsNothingAndHandsOverItsConfigFile(Jdk jdk, @TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.properties");
        Files.writeString(other, "chaos.armed=true\nchaos.rule.o.target=" + TARGET + "#sibling\nchaos.rule.o.fault=exception\n"
                + "chaos.rule.o.probability=1\n");
        ChildJvm jvm = serving(jdk).rule("r", TARGET + "#plain", "exception", 1.0).jvm("-javaagent:" + ChildJvm.AGENT_JAR);
        jvm.allowingDynamicAgents();
        try (ChildJvm.Running child = jvm.start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals(10, thrown(child, 10, "plain"));
            child.send("threads");
            assertEquals("threads control=1", child.awaitLine("threads", WAIT));
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("r"), WAIT);
                assertEquals(10L, Jmx.get(c, Jmx.rule("r"), "Calls"), "woven once: each call counted once");
                assertEquals(1, Jmx.get(c, Jmx.rule("r"), "MethodsWoven"));

                VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
                try {
                    vm.loadAgent(ChildJvm.AGENT_JAR.toString(), other.toString());
                } finally {
                    vm.detach();
                }
                child.awaitErrLine("INFO rule 'o' added", WAIT);
                assertEquals(10, thrown(child, 10, "sibling"));
                child.send("threads");
                assertEquals("threads control=1", child.awaitLine("threads", WAIT));
            }
            String err = child.stderrSoFar();
            assertEquals(1, occurrences(err, " started: "), () -> "one banner\n" + child);
            assertTrue(err.contains("INFO chaos-agent is already running in this JVM; this second -javaagent starts nothing"),
                    child::toString);
            assertTrue(err.contains("INFO chaos-agent is already running in this JVM; this second attach starts nothing and"
                    + " switches it to the config file " + other), child::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRuleNamingEverythingUnderTheAgentsPackageWeavesNoneOfTheAgentsClasses(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk).prop("chaos.log.level", "debug")
                .rule("all", "dev.chaosagent.**#*", "exception", 0.0).start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, Jmx.rule("all"), WAIT); // the MXBean classes have loaded
                assertEquals(0, thrown(child, 10, "plain"));
                for (String method : (String[]) Jmx.get(c, Jmx.rule("all"), "WovenMethods")) {
                    assertTrue(isFixtures(method), () -> "wove an agent class: " + method + "\n" + child);
                }
                assertTrue(Arrays.asList((String[]) Jmx.get(c, Jmx.rule("all"), "WovenMethods"))
                        .contains(TARGET + "#plain(int)"), child::toString);
                // Defined live, the rule retransforms loaded classes: the entry point's classes (in the
                // system class loader, not the agent's) are among them and must be left alone too.
                Jmx.invoke(c, Jmx.AGENT, "defineRule", "live", "target=dev.chaosagent.**#* fault=exception probability=0");
                String[] live = (String[]) Jmx.get(c, Jmx.rule("live"), "WovenMethods");
                assertTrue(live.length > 0, child::toString);
                for (String method : live) {
                    assertTrue(isFixtures(method), () -> "wove an agent class: " + method + "\n" + child);
                }
            }
        }
    }

    /** A woven method of the fixtures, or a line saying that the rule skips one (FixtureMain$IdThread#getId). */
    private static boolean isFixtures(String wovenOrSkipped) {
        return wovenOrSkipped.startsWith("dev.chaosagent.fixtures.")
                || wovenOrSkipped.startsWith("skipped: ") && wovenOrSkipped.contains(" skips dev.chaosagent.fixtures.");
    }
}
