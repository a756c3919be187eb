package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one clear line on stderr; the good rules still work and the application runs on. */
class BadInputTest extends ChildJvmTest {

    private static void assertLine(ChildJvm.Result r, String line) {
        assertTrue(r.stderr().contains("[chaos-agent] " + line), () -> "missing on stderr: " + line + "\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void everyBadValueIsReportedOnceAndTheRestWorks(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("good", TARGET + "#plain", "exception", 1.0)
                .rule("prob", TARGET + "#sibling", "exception", 1.7)
                .rule("num", TARGET + "#sibling", "exception", 0).prop("chaos.rule.num.probability", "lots")
                .rule("fault", TARGET + "#sibling", "explode", 1.0)
                .rule("pattern", "Target.sibling", "exception", 1.0)
                .rule("lat", TARGET + "#sibling", "latency", 1.0).prop("chaos.rule.lat.latency", "soon")
                .rule("missing", TARGET + "#sibling", "exception", 1.0).prop("chaos.rule.missing.exception", "com.acme.NoSuchException")
                .rule("notthrowable", TARGET + "#instance", "exception", 1.0).prop("chaos.rule.notthrowable.exception", "java.lang.String")
                .prop("chaos.colour", "red")
                .prop("chaos.poll", "fast")
                .run("calls", "10", "plain", "sibling", "instance");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(10, r.count("plain ", "thrown"), r::toString);
        assertEquals(0, r.count("sibling ", "thrown"), r::toString);
        assertEquals(0, r.count("instance ", "thrown"), r::toString);
        assertLine(r, "ERROR chaos.rule.prob.probability=1.7 must be a number between 0 and 1; rule 'prob' is left out");
        assertLine(r, "ERROR chaos.rule.num.probability=lots must be a number between 0 and 1; rule 'num' is left out");
        assertLine(r, "ERROR chaos.rule.fault.fault=explode must be one of exception, latency, kill, latency+exception, hang, return; rule 'fault' is left out");
        assertLine(r, "ERROR chaos.rule.pattern.target=Target.sibling must be Class#method patterns separated by ';': "
                + "pattern 'Target.sibling' is not of the form Class#method; rule 'pattern' is left out");
        assertLine(r, "ERROR chaos.rule.lat.latency=soon must be a delay such as 250ms, a range such as 100ms..2s, exp(mean=50ms) or lognormal(p50=20ms,p99=400ms), the last two optionally with ,max=2s; rule 'lat' is left out");
        assertLine(r, "ERROR unknown key chaos.colour=red: known keys are");
        assertLine(r, "ERROR chaos.poll=fast must be a duration such as 250ms, 1s or 2m; using the default 1s");
        assertLine(r, "WARN chaos.rule.missing.exception=com.acme.NoSuchException cannot be injected into " + TARGET
                + ": no class com.acme.NoSuchException is visible from that class loader; rule 'missing' skips this class");
        assertLine(r, "WARN chaos.rule.notthrowable.exception=java.lang.String cannot be injected into " + TARGET
                + ": java.lang.String is not a java.lang.Throwable; rule 'notthrowable' skips this class");
        assertEquals("", r.stdout().replaceAll("(?m)^(plain|sibling|instance|plain-first).*\\n", ""),
                () -> "the agent printed to stdout\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void missingConfigFileIsReportedAndSystemPropertiesStillApply(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).agentArgument("/nonexistent/chaos.properties").prop("chaos.armed", true)
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .run("calls", "10", "plain");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(10, r.count("plain ", "thrown"), r::toString);
        assertLine(r, "ERROR chaos.config=/nonexistent/chaos.properties names no readable file; using system properties only");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theAgentNeverWritesToStdout(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).agentArgument("/nonexistent/chaos.properties").prop("chaos.armed", "perhaps")
                .rule("r", TARGET + "#plain", "exception", 1.0)
                .run("hello");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("hello\n", r.stdout(), r::toString);
        assertLine(r, "ERROR chaos.armed=perhaps must be true or false; using the default false");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aRuleMatchingNothingIsReportedAfterTheFirstPoll(Jdk jdk) {
        try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.poll", "100ms")
                .rule("ghost", "com.acme.Nowhere#nothing", "exception", 1.0)
                .start("linger", "60000")) {
            String line = child.awaitErrLine("rule 'ghost' matches", Duration.ofSeconds(30));
            assertEquals("[chaos-agent] WARN rule 'ghost' matches no method loaded so far (target com.acme.Nowhere#nothing);"
                    + " classes that load later are still woven", line);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aClassThatCannotBeWovenIsReportedOnceHoweverOftenItLoads(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk).prop("chaos.armed", true)
                .rule("future", TARGET + "$Nested#inner", "exception", 1.0)
                .run("future-version", "20");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("future-version loaded=20 refused=20", r.stdout().trim(), r::toString);
        String line = "ERROR cannot weave " + TARGET + "$Nested: ";
        assertEquals(1, r.stderr().split(java.util.regex.Pattern.quote(line), -1).length - 1,
                () -> "one line for 20 loads of the same class\n" + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void aHugeValueIsQuotedShort(Jdk jdk, @TempDir Path dir) throws IOException {
        String huge = "x".repeat(1 << 20); // in a file: one command-line argument may not exceed 128 KiB on Linux
        Path file = dir.resolve("huge.properties");
        Files.writeString(file, "chaos.armed=" + huge + "\n");
        ChildJvm.Result r = ChildJvm.on(jdk).agentArgument(file.toString()).run("hello");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().length() < 4096, () -> "stderr holds " + r.stderr().length() + " characters");
        assertLine(r, "ERROR chaos.armed=" + "x".repeat(80) + "... (1048576 characters) must be true or false; using the default false");
    }
}
