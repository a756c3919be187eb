package dev.chaosagent.tests;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * agentmain: the agent loaded into a running JVM whose target class is already loaded and in
 * use. It must retransform that class, and faults must fire from then on.
 */
class DynamicAttachTest extends ChildJvmTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void attachingToARunningJvmRetransformsLoadedClasses(Jdk jdk, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("chaos.properties");
        Files.writeString(config, "chaos.armed=true\nchaos.rule.r.target=" + TARGET + "#plain\n"
                + "chaos.rule.r.fault=exception\nchaos.rule.r.probability=1\n");
        ChildJvm jvm = ChildJvm.on(jdk).withoutAgent();
        jvm.allowingDynamicAgents();
        try (ChildJvm.Running child = jvm.start("serve")) {
            child.awaitLine("serving", WAIT);
            child.send("call 100");
            assertEquals("called n=100 thrown=0", child.awaitLine("called", WAIT), "Target is loaded and runs unwoven");

            VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
            try {
                vm.loadAgent(ChildJvm.AGENT_JAR.toString(), config.toString());
            } finally {
                vm.detach();
            }
            child.send("call 100");
            assertEquals("called n=100 thrown=100", child.awaitLine("called", WAIT), () -> "no faults after attach\n" + child);
            String line = child.awaitErrLine("rule 'r' wove", WAIT);
            assertEquals("[chaos-agent] INFO rule 'r' wove " + TARGET + "#plain(int) (1 method so far)", line);
            assertFalse(child.stderrSoFar().contains("WARNING"), child::toString);
            assertTrue(child.stderrSoFar().contains("started: ARMED"), child::toString);
        }
    }
}
