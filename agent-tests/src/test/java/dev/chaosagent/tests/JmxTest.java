package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMX control plane, driven from outside through real connections, as an operator would. */
class JmxTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RULE = Jmx.rule("r");

    private static ChildJvm serving(Jdk jdk, double probability) {
        return ChildJvm.on(jdk).prop("chaos.poll", "100ms").prop("chaos.summary", "100ms").prop("chaos.seed", 5)
                .rule("r", TARGET + "#plain", "exception", probability);
    }

    /** Attaches once the child has printed its ready line (an attach during JVM start-up fails). */
    private static JMXConnector attachWhen(ChildJvm.Running child, String readyLine) throws Exception {
        child.awaitLine(readyLine, WAIT);
        return Jmx.attach(child.pid());
    }

    private static long call(ChildJvm.Running child, int n) {
        child.send("call " + n);
        return Long.parseLong(ChildJvm.Running.field(child.awaitLine("called", WAIT), "thrown"));
    }

    /** The fixtures and ASM, with which the fixture generates classes. */
    private static String generatingClassPath() throws Exception {
        Path asm = Paths.get(org.objectweb.asm.ClassWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ChildJvm.TEST_CLASSES + File.pathSeparator + asm;
    }

    /**
     * Creating the platform MBean server costs hundreds of milliseconds of processor time: the
     * agent keeps it out of an application's start-up, and registers its beans at the first poll
     * after class loading has settled (here: after 20,000 classes; a poll every 500 ms sees
     * thousands of classes while they load, unless the loading stalls for nearly half a second).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void beansAreRegisteredOnceTheApplicationsClassLoadingHasSettled(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.log.level", "debug").prop("chaos.poll", "500ms")
                .classPath(generatingClassPath())
                .rule("r", TARGET + "#plain", "exception", 0.0).start("serve-many", "20000")) {
            child.awaitLine("serving", WAIT);
            String line = child.awaitErrLine("start-up work now (class loading has settled)", WAIT);
            long loaded = Long.parseLong(line.substring(line.indexOf("): ") + 3, line.indexOf(" classes loaded")));
            assertTrue(loaded >= 20_000, () -> "registered after " + loaded + " classes, before the 20,000 had loaded\n" + child);
            child.awaitErrLine("MXBeans registered", WAIT);
            try (JMXConnector jmx = Jmx.attach(child.pid())) {
                assertEquals("[r]", Arrays.toString((String[]) Jmx.get(jmx.getMBeanServerConnection(), Jmx.AGENT, "RuleNames")));
            }
        }
    }

    /**
     * An application that never stops loading classes still gets its beans as soon as a JMX client
     * attaches: attaching creates the platform MBean server, which the next poll sees.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aClientAttachingWhileClassesStillLoadGetsTheBeans(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.log.level", "debug").classPath(generatingClassPath())
                .rule("r", TARGET + "#plain", "exception", 0.0).start("churn-serve");
             JMXConnector jmx = attachWhen(child, "serving")) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            Jmx.awaitRegistered(c, RULE, WAIT);
            child.awaitErrLine("start-up work now (wanted before class loading settled)", WAIT);
            assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void armAndDisarmOverTheAttachConnectorStopAndResumeFaults(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk, 1.0).start("serve");
             JMXConnector jmx = attachWhen(child, "serving")) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            Jmx.awaitRegistered(c, RULE, WAIT);
            assertEquals(false, Jmx.get(c, Jmx.AGENT, "Armed"));
            assertEquals(0, call(child, 100));

            Jmx.invoke(c, Jmx.AGENT, "arm");
            assertEquals(100, call(child, 100), "faults fire as soon as arm() returns");
            assertEquals(true, Jmx.get(c, Jmx.AGENT, "Armed"));
            assertTrue(((String) Jmx.get(c, Jmx.AGENT, "Status")).startsWith("ARMED, 1 rule, 1 method woven"),
                    () -> "status: " + Jmx.show(c, Jmx.AGENT, "Status"));

            Jmx.invoke(c, Jmx.AGENT, "disarm");
            assertEquals(0, call(child, 100), "no fault starts once disarm() has returned");
            Jmx.set(c, Jmx.AGENT, "Armed", true);
            assertEquals(100, call(child, 100));
            assertEquals("[r]", Arrays.toString((String[]) Jmx.get(c, Jmx.AGENT, "RuleNames")));
            assertFalse(((String) Jmx.get(c, Jmx.AGENT, "Version")).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void ruleChangesApplyAtOnceSurviveTheNextPollAndAreWrittenThrough(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk, 0.0).prop("chaos.armed", true).start("serve");
             JMXConnector jmx = attachWhen(child, "serving")) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            Jmx.awaitRegistered(c, RULE, WAIT);
            assertEquals(0, call(child, 50));

            Jmx.set(c, RULE, "Probability", 1.0);
            assertEquals(50, call(child, 50), "the new probability applies before setAttribute returns");
            child.awaitErrLine("summary: rule 'r'", WAIT); // proof that the control thread polled since
            assertEquals(1.0, Jmx.get(c, RULE, "Probability"));
            assertEquals(50, call(child, 50), "the poll did not revert the JMX value");
            assertTrue(Arrays.asList((String[]) Jmx.get(c, Jmx.AGENT, "ConfigSources")).contains("chaos.rule.r.probability=1.0 (jmx)"),
                    () -> "sources: " + Jmx.show(c, Jmx.AGENT, "ConfigSources"));
            assertEquals("1.0", systemProperty(c, "chaos.rule.r.probability"), "written through to the system property");

            Jmx.set(c, RULE, "Enabled", false);
            assertEquals(0, call(child, 50));
            Jmx.set(c, RULE, "Enabled", true);
            assertEquals(50, call(child, 50));

            Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.rule.r.probability", "0");
            assertEquals(0, call(child, 50));
            Jmx.invoke(c, Jmx.AGENT, "clearProperty", "chaos.rule.r.enabled");
            assertEquals("", systemProperty(c, "chaos.rule.r.enabled"));
        }
    }

    private static String systemProperty(MBeanServerConnection c, String key) throws Exception {
        return Jmx.systemProperty(c, key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void badValuesAreRejectedWithTheMessageAndChangeNothing(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk, 0.0).prop("chaos.armed", true).start("serve");
             JMXConnector jmx = attachWhen(child, "serving")) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            Jmx.awaitRegistered(c, RULE, WAIT);

            Exception bad = assertThrows(Exception.class, () -> Jmx.set(c, RULE, "Probability", 1.5));
            assertEquals("chaos.rule.r.probability=1.5 must be a number between 0 and 1; rule 'r' keeps 0.0", Jmx.rootMessage(bad));
            Exception latency = assertThrows(Exception.class,
                    () -> Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.poll", "often"));
            assertEquals("chaos.poll=often must be a duration such as 250ms, 1s or 2m; keeps 100ms", Jmx.rootMessage(latency));
            Exception unknown = assertThrows(Exception.class,
                    () -> Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.colour", "red"));
            assertTrue(Jmx.rootMessage(unknown).startsWith("unknown key chaos.colour=red"), Jmx.rootMessage(unknown));
            Exception required = assertThrows(Exception.class,
                    () -> Jmx.invoke(c, Jmx.AGENT, "clearProperty", "chaos.rule.r.probability"));
            assertEquals("chaos.rule.r.probability is required by rule 'r'; use removeRule to remove the rule; nothing changes",
                    Jmx.rootMessage(required));

            assertEquals(0.0, Jmx.get(c, RULE, "Probability"));
            assertEquals("0.0", systemProperty(c, "chaos.rule.r.probability"));
            assertEquals("", systemProperty(c, "chaos.colour"));
            assertEquals(0, call(child, 100));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void countersAgreeWithWhatTheCallersSaw(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = serving(jdk, 0.3).prop("chaos.armed", true).start("serve")) {
            long thrown;
            try (JMXConnector jmx = attachWhen(child, "serving")) {
                MBeanServerConnection c = jmx.getMBeanServerConnection();
                Jmx.awaitRegistered(c, RULE, WAIT);
                thrown = call(child, 2000);
                assertEquals(thrown, Jmx.get(c, RULE, "Injections"));
                assertEquals(thrown, Jmx.get(c, Jmx.AGENT, "TotalInjections"));
                assertEquals(2000L, Jmx.get(c, RULE, "Calls"));
                assertEquals(0L, Jmx.get(c, RULE, "InterruptedDelays"));
                assertTrue(((String) Jmx.get(c, RULE, "LastInjection")).endsWith(" thread 'main' " + TARGET + "#plain(int)"),
                        () -> "last injection: " + Jmx.show(c, RULE, "LastInjection"));
                assertEquals("[" + TARGET + "#plain(int)]", Arrays.toString((String[]) Jmx.get(c, RULE, "WovenMethods")));
                assertEquals("exception", Jmx.get(c, RULE, "Fault"));
                assertEquals(TARGET + "#plain", Jmx.get(c, RULE, "Target"));
                assertEquals("java.lang.RuntimeException", Jmx.get(c, RULE, "Exception"));
                assertEquals("", Jmx.get(c, RULE, "Latency"));

                Jmx.invoke(c, Jmx.AGENT, "resetCounters");
                assertEquals(0L, Jmx.get(c, RULE, "Injections"));
                assertEquals(0L, Jmx.get(c, RULE, "Calls"));
                long again = call(child, 2000);
                assertEquals(thrown, again, "after a reset the same seed gives the same decisions again");
                assertEquals(again, Jmx.get(c, RULE, "Injections"));
            }
            child.send("quit");
            ChildJvm.Result finished = child.await(WAIT);
            // at exit, a final table: rule, calls, injections, observed rate, configured probability
            assertTrue(finished.stderr().contains("[chaos-agent] INFO final: rule"), finished::toString);
            assertTrue(finished.stderr().matches("(?s).*\\[chaos-agent\\] INFO final: r +2000 +" + thrown + " +[0-9.]+% +30\\.00%\n.*"),
                    finished::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void passwordProtectedRemoteConnectorHonoursRoles(Jdk jdk, @TempDir Path dir) throws Exception {
        Path passwords = dir.resolve("jmx.password");
        Files.writeString(passwords, "operator op-secret\nobserver obs-secret\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Path access = dir.resolve("jmx.access");
        Files.writeString(access, "operator readwrite\nobserver readonly\n");
        int port = Jmx.freePort();
        ChildJvm jvm = serving(jdk, 1.0)
                .jvm("-Dcom.sun.management.jmxremote.port=" + port)
                .jvm("-Dcom.sun.management.jmxremote.rmi.port=" + port)
                .jvm("-Dcom.sun.management.jmxremote.host=127.0.0.1")
                .jvm("-Djava.rmi.server.hostname=127.0.0.1")
                .jvm("-Dcom.sun.management.jmxremote.authenticate=true")
                .jvm("-Dcom.sun.management.jmxremote.ssl=false")
                .jvm("-Dcom.sun.management.jmxremote.password.file=" + passwords)
                .jvm("-Dcom.sun.management.jmxremote.access.file=" + access);
        try (ChildJvm.Running child = jvm.start("serve")) {
            child.awaitLine("serving", WAIT);
            try (JMXConnector operator = Jmx.remote(port, "operator", "op-secret")) {
                MBeanServerConnection c = operator.getMBeanServerConnection();
                Jmx.awaitRegistered(c, RULE, WAIT);
                Jmx.invoke(c, Jmx.AGENT, "arm");
                assertEquals(100, call(child, 100));
                child.awaitErrLine("INFO chaos ARMED: rules now fire (jmx operator)", WAIT); // the audit names the principal
                Jmx.invoke(c, Jmx.AGENT, "setProperty", "chaos.rule.r.probability", "0.5", "runbook-7"); // a tool names itself
                child.awaitErrLine("INFO rule 'r' probability 1.0 -> 0.5 (runbook-7 operator)", WAIT);
                Jmx.set(c, RULE, "Probability", 1.0);
                child.awaitErrLine("INFO rule 'r' probability 0.5 -> 1.0 (jmx operator)", WAIT);
            }
            try (JMXConnector observer = Jmx.remote(port, "observer", "obs-secret")) {
                MBeanServerConnection c = observer.getMBeanServerConnection();
                assertEquals(true, Jmx.get(c, Jmx.AGENT, "Armed"));
                assertThrows(SecurityException.class, () -> Jmx.set(c, Jmx.AGENT, "Armed", false));
                assertThrows(SecurityException.class, () -> Jmx.invoke(c, Jmx.AGENT, "disarm"));
                assertThrows(SecurityException.class, () -> Jmx.set(c, RULE, "Probability", 0.0));
                assertEquals(100, call(child, 100), "the read-only role changed nothing");
            }
            assertThrows(SecurityException.class, () -> Jmx.remote(port, "operator", "wrong"));
            assertFalse(child.stderrSoFar().contains("WITHOUT AUTHENTICATION"), child::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void remoteJmxWithoutAuthenticationGetsALoudWarning(Jdk jdk) throws Exception {
        ChildJvm.Result r = ChildJvm.on(jdk)
                .jvm("-Dcom.sun.management.jmxremote.port=" + Jmx.freePort())
                .jvm("-Dcom.sun.management.jmxremote.host=127.0.0.1")
                .jvm("-Dcom.sun.management.jmxremote.authenticate=false")
                .jvm("-Dcom.sun.management.jmxremote.ssl=false")
                .run("hello");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("WITHOUT AUTHENTICATION"), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void hammeringWhileAnotherClientFlipsArmedAndProbability(Jdk jdk) throws Exception {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.poll", "100ms").prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 0.5).start("hammer", "8");
             JMXConnector jmx = attachWhen(child, "hammering")) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            Jmx.awaitRegistered(c, RULE, WAIT);
            Random random = new Random(11);
            double[] choices = {0.0, 0.01, 0.5, 1.0};
            for (int i = 0; i < 2000; i++) {
                Jmx.set(c, Jmx.AGENT, "Armed", i % 2 == 0);
                Jmx.set(c, RULE, "Probability", choices[random.nextInt(choices.length)]);
            }
            child.send("stop");
            String result = child.awaitLine("hammered", WAIT);
            long calls = Long.parseLong(ChildJvm.Running.field(result, "calls"));
            long injected = Long.parseLong(ChildJvm.Running.field(result, "injected"));
            assertEquals("0", ChildJvm.Running.field(result, "other"), "something other than the configured fault was thrown");
            assertEquals(injected, Jmx.get(c, RULE, "Injections"), "the callers' count and the agent's agree");
            long agentCalls = (Long) Jmx.get(c, RULE, "Calls");
            assertTrue(agentCalls >= injected && agentCalls <= calls, () -> "calls " + agentCalls + " vs callers' " + calls);
            assertTrue(injected > 0, "no fault fired in 4000 flips");
        } // the connection closes first, then the child is stopped

    }

    /**
     * Without a recording, an injection never makes its Flight Recorder event: the first use of an
     * event class brings Flight Recorder up (some 150 ms, carried by the injected call).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void injectionsWithoutARecordingNeverStartFlightRecorder(Jdk jdk, @TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).rule("r", TARGET + "#plain", "exception", 1.0)
                .jvm("-Xlog:class+load=info:file=" + classes).run("calls", "100", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(100, r.count("plain ", "thrown"), r::toString);
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("dev.chaosagent.bootstrap.Dispatcher"), "the log lists the classes loaded");
        assertFalse(loaded.contains("jdk.jfr.internal."), "Flight Recorder started without a recording");
    }

    /** A recording started while the JVM runs ({@code jcmd JFR.start}) gets the injections from then on. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRecordingStartedLaterHoldsTheInjectionsFromThenOn(Jdk java, @TempDir Path dir) throws Exception {
        Path recording = dir.resolve("late.jfr");
        try (ChildJvm.Running child = ChildJvm.on(java).prop("chaos.armed", true).rule("r", TARGET + "#plain", "exception", 1.0)
                .start("serve")) {
            child.awaitLine("serving", WAIT);
            assertEquals(5, call(child, 5));
            jcmd(java, child.pid(), "JFR.start", "name=late", "settings=default");
            assertEquals(7, call(child, 7));
            jcmd(java, child.pid(), "JFR.stop", "name=late", "filename=" + recording);
        }
        long events = 0;
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(recording)) {
            events += e.getEventType().getName().equals("dev.chaosagent.Injection") ? 1 : 0;
        }
        assertEquals(7, events, "the injections after the recording started, each once");
    }

    private static void jcmd(Jdk jdk, long pid, String... command) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(Arrays.asList(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid)));
        cmd.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> String.join(" ", cmd) + ":\n" + out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aFlightRecordingHoldsOneEventPerInjection(Jdk jdk, @TempDir Path dir) throws Exception {
        Path recording = dir.resolve("chaos.jfr");
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true).prop("chaos.seed", 3)
                .rule("r", TARGET + "#plain", "exception", 0.3)
                .jvm("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .run("calls", "2000", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        long thrown = r.count("plain ", "thrown");
        Process summary = new ProcessBuilder(jdk.home().resolve("bin/jfr").toString(), "summary", recording.toString())
                .redirectErrorStream(true).start();
        String out = new String(summary.getInputStream().readAllBytes());
        assertEquals(0, summary.waitFor(), out);
        long events = 0;
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 2 && cols[0].equals("dev.chaosagent.Injection")) {
                events = Long.parseLong(cols[1]);
            }
        }
        assertTrue(thrown > 0, r::toString);
        assertEquals(thrown, events, () -> "JFR summary:\n" + out);
    }
}
