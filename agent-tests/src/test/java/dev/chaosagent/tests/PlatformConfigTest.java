package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration as Kubernetes hands it over: environment variables, and a config file in a mounted ConfigMap. */
class PlatformConfigTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static String rule(double probability) {
        return "chaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\nchaos.rule.r.probability=" + probability + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void environmentVariablesSetTheGlobalKeysAndSystemPropertiesBeatThem(Jdk jdk) throws Exception {
        Path file = dir.resolve("chaos.properties");
        Files.writeString(file, rule(1.0) + "chaos.poll=5s\nchaos.dry-run=false\n");
        ChildJvm child = ChildJvm.on(jdk).withoutAgent().jvm("-javaagent:" + ChildJvm.AGENT_JAR)
                .env("CHAOS_CONFIG", file.toString()).env("CHAOS_ARMED", "true").env("CHAOS_SEED", "11")
                .env("CHAOS_POLL", "250ms").env("CHAOS_SUMMARY", "soon").env("CHAOS_ARMD", "true")
                .env("CHAOS_RULE_X_TARGET", "a.B#c").prop("chaos.poll", "300ms");
        try (ChildJvm.Running r = child.start("serve")) {
            r.awaitLine("serving", WAIT);
            String banner = r.awaitErrLine("started:", WAIT);
            assertTrue(banner.endsWith("started: ARMED, seed 11, poll 300ms, 1 rule, config file " + file), banner);
            String err = r.stderrSoFar();
            assertTrue(err.contains("ERROR chaos.summary=soon must be a duration such as 250ms, 1s or 2m; using the default 1m"
                    + " (set by environment variable CHAOS_SUMMARY)"), err);
            assertTrue(err.contains("ERROR environment variable CHAOS_ARMD=true is no global key's twin (CHAOS_ARMED is"
                    + " chaos.armed, CHAOS_MAX_INJECTIONS is chaos.max-injections); ignored"), err);
            assertTrue(err.contains("ERROR environment variable CHAOS_RULE_X_TARGET=a.B#c is not read: rules and stop"
                    + " conditions come from the config file and system properties only"), err);
            assertEquals(10, thrown(r, 10), "armed by CHAOS_ARMED, the file's rule at p=1");
            try (JMXConnector c = Jmx.attach(r.pid())) {
                MBeanServerConnection m = c.getMBeanServerConnection();
                Jmx.awaitRegistered(m, Jmx.AGENT, WAIT);
                String sources = String.join("\n", (String[]) Jmx.get(m, Jmx.AGENT, "ConfigSources"));
                assertTrue(sources.contains("chaos.armed=true (environment variable CHAOS_ARMED)"), sources);
                assertTrue(sources.contains("chaos.config=" + file + " (environment variable CHAOS_CONFIG)"), sources);
                assertTrue(sources.contains("chaos.poll=300ms (system property)"), sources);
                assertTrue(sources.contains("chaos.dry-run=false (file " + file + ")"), sources);
                Jmx.invoke(m, Jmx.AGENT, "disarm");
                assertEquals(0, thrown(r, 10), "a JMX write is a system property: it beats the environment");
                Jmx.invoke(m, Jmx.AGENT, "clearProperty", "chaos.armed");
                r.awaitErrLine("chaos ARMED: rules now fire", WAIT);
                assertEquals(10, thrown(r, 10), "with the property gone, the environment's value is back");
            }
        }
    }

    /**
     * The kubelet's own sequence of file operations for a ConfigMap update: each update is read at
     * the next poll through the user-visible link; a ConfigMap deleted (an optional one's volume
     * empties) keeps the last good rules, said once, until it is back.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aMountedConfigMapIsFollowedThroughEveryUpdate(Jdk jdk) {
        ConfigMapVolume volume = new ConfigMapVolume(dir.resolve("chaos-config"));
        volume.write(Map.of("chaos.properties", rule(1.0) + "chaos.armed=true\nchaos.poll=100ms\n", "README", "x"));
        Path file = volume.path("chaos.properties");
        try (ChildJvm.Running r = ChildJvm.on(jdk).agentArgument(file.toString()).start("serve")) {
            r.awaitLine("serving", WAIT);
            assertEquals(10, thrown(r, 10));
            volume.write(Map.of("chaos.properties", rule(0.0) + "chaos.armed=true\nchaos.poll=100ms\n", "README", "x"));
            r.awaitErrLine("rule 'r' probability 1.0 -> 0.0 (file " + file + ")", WAIT);
            assertEquals(0, thrown(r, 10));
            volume.write(Map.of("chaos.properties", rule(1.0) + "chaos.armed=true\nchaos.poll=100ms\n"));
            r.awaitErrLine("rule 'r' probability 0.0 -> 1.0 (file " + file + ")", WAIT);
            assertEquals(10, thrown(r, 10));

            volume.write(Map.of()); // deleted: the kubelet empties the volume and removes the key's link
            assertTrue(!Files.exists(file));
            r.awaitErrLine("ERROR chaos.config=" + file + " names no readable file; keeps its last good contents", WAIT);
            String before = "1m";
            for (String summary : new String[] {"2s", "3s"}) { // two more polls, each seen by the change it applies
                r.send("set chaos.summary " + summary);
                r.awaitErrLine("summary " + before + " -> " + summary + " (system property)", WAIT);
                before = summary;
            }
            assertEquals(10, thrown(r, 10), "the last good rules stay in force");
            volume.write(Map.of("chaos.properties", rule(0.0) + "chaos.armed=true\nchaos.poll=100ms\n"));
            r.awaitErrLine("rule 'r' probability 1.0 -> 0.0 (file " + file + ")", WAIT);
            assertEquals(0, thrown(r, 10));
            assertEquals(1, occurrences(r.stderrSoFar(), "names no readable file"), r::toString);
        }
    }
}
