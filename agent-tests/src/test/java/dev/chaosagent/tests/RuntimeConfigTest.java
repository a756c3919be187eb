package dev.chaosagent.tests;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control thread applies changes while the application runs; bad ones keep what is in force. */
class RuntimeConfigTest extends ChildJvmTest {
    private static final long POLL_MS = 1000;

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void propertiesSetByTheApplicationTakeEffectWithinTwoPollsAndBadValuesKeepTheGoodOne(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.poll", POLL_MS + "ms")
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .run("runtime-arm");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(0, r.count("disarmed", "thrown"), r::toString);
        assertEquals("true", r.field("armed", "seen"), r::toString);
        assertTrue(r.count("armed", "after-ms") <= 2 * POLL_MS, () -> "arming took more than two poll intervals\n" + r);
        assertEquals("injected_by_chaos-agent_rule_'r'", r.field("after-bad-value", "message"),
                () -> "a change with a bad value applied in part\n" + r);
        assertEquals(1000, r.count("after-bad-value", "thrown"), () -> "probability 1.7 replaced the good 1.0\n" + r);
        assertTrue(r.stderr().contains("[chaos-agent] INFO chaos ARMED: rules now fire"), r::toString);
        assertTrue(r.stderr().contains("[chaos-agent] ERROR chaos.rule.r.probability=1.7 must be a number between 0 and 1; rule 'r' keeps 1.0"),
                r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void editingTheConfigFileTakesEffectWithinTwoPolls(Jdk jdk, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("chaos.properties");
        String rule = "chaos.rule.r.target=" + TARGET + "#plain\nchaos.rule.r.fault=exception\nchaos.poll=" + POLL_MS + "ms\n";
        Files.writeString(file, rule + "chaos.armed=true\nchaos.rule.r.probability=0\n");
        try (ChildJvm.Running child = ChildJvm.on(jdk).agentArgument(file.toString()).start("await-injection")) {
            assertEquals("before thrown=0", child.awaitLine("before", Duration.ofSeconds(60)));
            child.awaitLine("ready", Duration.ofSeconds(60));
            Files.writeString(file, rule + "chaos.armed=true\nchaos.rule.r.probability=1\nchaos.rule.r.message=from the file\n");
            ChildJvm.Result r = child.await(Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("true", r.field("injection", "seen"), r::toString);
            assertEquals("from_the_file", r.field("injection", "message"), r::toString);
            assertTrue(r.count("injection", "after-ms") <= 2 * POLL_MS, () -> "the edit took more than two poll intervals\n" + r);
            assertTrue(r.stderr().contains("rule 'r' probability 0.0 -> 1.0"), r::toString);
        }
    }
}
