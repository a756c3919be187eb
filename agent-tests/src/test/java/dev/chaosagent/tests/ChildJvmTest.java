package dev.chaosagent.tests;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;

/** Base of tests that launch child JVMs: whatever a test leaves running is killed after it. */
abstract class ChildJvmTest {
    static final String ALL_JDKS = "dev.chaosagent.tests.Jdk#all";
    static final String FIXTURES = "dev.chaosagent.fixtures.";
    static final String TARGET = FIXTURES + "Target";

    /** How long a helper waits for a child's answer. */
    private static final Duration ANSWER = Duration.ofSeconds(60);

    @AfterEach
    void killChildren() {
        ChildJvm.killAll();
    }

    /** Runs the operator's CLI on the same JDK, as an operator would from a shell. */
    static ChildJvm.Result cli(Jdk jdk, String... args) {
        return ChildJvm.on(jdk).withoutAgent().runMain(ChildJvm.AGENT_JAR.toString(), args);
    }

    /** {@code call n} in a serving child: how many of n calls of Target#plain threw. */
    static long thrown(ChildJvm.Running child, int n) {
        child.send("call " + n);
        return Long.parseLong(ChildJvm.Running.field(child.awaitLine("called", ANSWER), "thrown"));
    }

    /** How often {@code part} occurs in {@code text}. */
    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
