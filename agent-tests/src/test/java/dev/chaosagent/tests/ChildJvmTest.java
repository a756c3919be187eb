package dev.chaosagent.tests;

import org.junit.jupiter.api.AfterEach;

/** Base of tests that launch child JVMs: whatever a test leaves running is killed after it. */
abstract class ChildJvmTest {
    static final String ALL_JDKS = "dev.chaosagent.tests.Jdk#all";
    static final String FIXTURES = "dev.chaosagent.fixtures.";
    static final String TARGET = FIXTURES + "Target";

    @AfterEach
    void killChildren() {
        ChildJvm.killAll();
    }
}
