package dev.chaosagent.tests;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main command, run as written (with --quick), from the project root. */
class DemoExperimentTest extends ChildJvmTest {
    private static final Path ROOT = ChildJvm.PROJECT_ROOT;
    private static final Pattern INJECTIONS = Pattern.compile(
            "^  (\\S+) +\\((\\S+)\\) +steady=(\\d+) +chaos=(\\d+) +recovery=(\\d+)$", Pattern.MULTILINE);

    private static ChildJvm.Result experiment(Jdk jdk, boolean withAgent, Path report) throws Exception {
        jdk.assumePresent();
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        if (withAgent) {
            cmd.add("-javaagent:agent/target/chaos-agent.jar=demo-app/chaos.properties");
        }
        cmd.addAll(List.of("-jar", "demo-app/target/demo-app.jar", "experiment", "--quick"));
        if (report != null) {
            cmd.add("--report=" + report);
        }
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).start();
        byte[][] streams = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        err.start();
        streams[0] = p.getInputStream().readAllBytes();
        boolean finished = p.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        err.join(10_000);
        ChildJvm.Result r = new ChildJvm.Result(finished ? p.exitValue() : -1, new String(streams[0], StandardCharsets.UTF_8),
                streams[1] == null ? "" : new String(streams[1], StandardCharsets.UTF_8), cmd);
        assertTrue(finished, () -> "the experiment did not finish within 180 s\n" + r);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void theExperimentInjectsOnlyInTheChaosPhaseAndAllHypothesesHold(Jdk jdk) throws Exception {
        Path report = ROOT.resolve("demo-app/target/chaos-report.html"); // where the README says it is
        Files.deleteIfExists(report);
        ChildJvm.Result r = experiment(jdk, true, null);
        assertEquals(0, r.exitCode(), r::toString);

        Matcher m = INJECTIONS.matcher(r.stdout());
        List<String> faults = new ArrayList<>();
        int rules = 0;
        while (m.find()) {
            rules++;
            faults.add(m.group(2));
            assertEquals("0", m.group(3), () -> "injections in the steady phase\n" + r);
            assertTrue(Long.parseLong(m.group(4)) > 0, () -> "rule " + m.group(1) + " never fired in the chaos phase\n" + r);
            assertEquals("0", m.group(5), () -> "injections in the recovery phase\n" + r);
        }
        assertEquals(4, rules, r::toString);
        assertTrue(faults.contains("latency") && faults.contains("exception") && faults.contains("kill"), () -> faults + "\n" + r);

        assertTrue(r.stdout().contains("PASS  steady state is healthy"), r::toString);
        assertTrue(r.stdout().contains("PASS  under chaos the service degrades but does not collapse"), r::toString);
        assertTrue(r.stdout().contains("PASS  recovery returns to steady state"), r::toString);
        assertTrue(r.stdout().contains("PASS  data integrity: "), r::toString);
        assertTrue(r.stdout().contains(", 0 missing from the database, 0 recorded more than once;"), r::toString);
        assertTrue(r.stdout().contains("result: all 4 hypotheses hold"), r::toString);

        String html = Files.readString(report);
        assertTrue(html.contains("<h2 id=\"timeline\">Timeline</h2>"), "the report has no timeline");
        assertTrue(html.contains("const seconds=[0.500,1.500,2.500,"), "the timeline has no per-second data at mid-second");
        assertTrue(html.contains("name:\"chaos\""), "the chaos phase is not shaded");
        assertTrue(html.contains("uPlot"), "the charting library is not inlined");
        assertFalse(html.contains("src=\"http"), "the page fetches something from the network");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ALL_JDKS)
    void withoutTheAgentOnlyTheSteadyPhaseRunsAndItSaysHowToAttachIt(Jdk jdk) throws Exception {
        Path report = Files.createTempDirectory("experiment").resolve("chaos-report.html");
        ChildJvm.Result r = experiment(jdk, false, report);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("no chaos-agent is attached, so this runs the steady-state phase only."), r::toString);
        assertTrue(r.stdout().contains("java -javaagent:agent/target/chaos-agent.jar=demo-app/chaos.properties"
                + " -jar demo-app/target/demo-app.jar experiment"), r::toString);
        assertTrue(r.stdout().contains("\nsteady "), r::toString);
        assertFalse(r.stdout().contains("\nchaos "), r::toString);
        assertTrue(r.stdout().contains("result: all 2 hypotheses hold"), r::toString);
        assertTrue(Files.exists(report));
    }
}
