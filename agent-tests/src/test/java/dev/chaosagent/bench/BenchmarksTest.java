package dev.chaosagent.bench;

import dev.chaosagent.tests.ChildJvm;
import dev.chaosagent.tests.FixtureCompiler;
import dev.chaosagent.tests.Jdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmarks, run with {@code mvn -B verify -Pbench -pl agent-tests -am}. They print ratios
 * against a run without the agent in the same session (and write them to
 * {@code agent-tests/target/bench-results.txt}); they assert only that each configuration did
 * what it claims (woven or not), never a timing.
 */
@Tag("benchmark")
class BenchmarksTest {
    private static final Path OUT = Paths.get(System.getProperty("chaos.test.work", "target/work")).getParent()
            .resolve("bench-results.txt");
    private static final String AGENT = "-javaagent:" + ChildJvm.AGENT_JAR;
    private static final String RULE = "-Dchaos.rule.b.target=dev.chaosagent.bench.BenchTarget#work";
    private static final String[] WOVEN = {AGENT, RULE, "-Dchaos.rule.b.fault=exception", "-Dchaos.rule.b.probability=0"};

    private static final StringBuilder REPORT = new StringBuilder();

    private static void report(String line) {
        System.out.println("[bench] " + line);
        REPORT.append(line).append('\n');
        try {
            Files.createDirectories(OUT.getParent());
            Files.writeString(OUT, REPORT.toString());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void perCallCostOfAWovenMethod() throws Exception {
        for (Jdk jdk : Jdk.all()) {
            if (!jdk.present()) {
                report(jdk + ": not installed at " + jdk.home() + ", skipped");
                continue;
            }
            double plain = jmh(jdk, "none");
            double disarmed = jmh(jdk, "disarmed", concat(WOVEN, "-Dchaos.armed=false"));
            double armed = jmh(jdk, "armed p=0", concat(WOVEN, "-Dchaos.armed=true"));
            // a threads condition that every JMH worker meets: the glob is matched once per thread, then remembered
            double threads = jmh(jdk, "threads p=0", concat(WOVEN, "-Dchaos.armed=true", "-Dchaos.rule.b.threads=*jmh-worker*"));
            report(String.format(Locale.ROOT, "%s per call: un-woven %.3f ns; woven disarmed %.3f ns (x%.2f); woven armed p=0 %.3f ns (x%.2f);"
                    + " armed p=0 with a threads condition %.3f ns (x%.2f, x%.2f of armed p=0)",
                    jdk, plain, disarmed, disarmed / plain, armed, armed / plain, threads, threads / plain, threads / armed));
        }
    }

    /** Runs the JMH benchmark in its own JVM; the fork gets {@code forkOptions}. Returns ns per call. */
    private static double jmh(Jdk jdk, String label, String... forkOptions) throws Exception {
        Path csv = Files.createTempFile("jmh-", ".csv");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), "org.openjdk.jmh.Main", WovenCallBenchmark.class.getName(),
                "-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", "-rf", "csv", "-rff", csv.toString(),
                "-jvm", jdk.java().toString()));
        if (forkOptions.length > 0) {
            cmd.add("-jvmArgsAppend");
            cmd.add(String.join(" ", forkOptions));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        boolean woven = output.contains("rule 'b' wove dev.chaosagent.bench.BenchTarget#work(int)");
        assertEquals(forkOptions.length > 0, woven, () -> label + ": weaving not as configured\n" + output);
        List<String> lines = Files.readAllLines(csv);
        Files.delete(csv);
        // "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
        String[] row = lines.get(1).split(",");
        double score = Double.parseDouble(row[4]);
        report(String.format(Locale.ROOT, "%s JMH %-10s %.3f ns/call (error %s)", jdk, label, score, row[5]));
        return score;
    }

    @Test
    void startUpTimeAndLoadedClasses() throws Exception {
        for (Jdk jdk : Jdk.all()) {
            if (!jdk.present()) {
                report(jdk + ": not installed at " + jdk.home() + ", skipped");
                continue;
            }
            String[][] configs = {
                    {},
                    {"-javaagent:" + emptyAgent()},
                    {AGENT, "-Dchaos.rule.b.target=com.acme.Nothing#here", "-Dchaos.rule.b.fault=exception", "-Dchaos.rule.b.probability=0.5"},
                    {AGENT, "-Dchaos.rule.b.target=dev.chaosagent.bench.Hello#greeting", "-Dchaos.rule.b.fault=exception",
                            "-Dchaos.rule.b.probability=0.5"},
                    {AGENT, "-Dchaos.rule.b.target=^dev.chaosagent.bench.Hello#greeting", "-Dchaos.rule.b.fault=exception",
                            "-Dchaos.rule.b.probability=0.5"},
            };
            String[] names = {"no agent", "empty agent (the JVM's own cost)", "agent, rule matches nothing",
                    "agent, rule weaves Hello#greeting", "agent, ^ rule weaves Hello#greeting"};
            int runs = 10;
            long[][] times = new long[configs.length][runs];
            for (int i = 0; i < 2; i++) { // warm the file cache, not measured
                for (String[] c : configs) {
                    hello(jdk, c);
                }
            }
            for (int i = 0; i < runs; i++) { // interleaved, so drift in the machine's load hits every configuration alike
                for (int c = 0; c < configs.length; c++) {
                    times[c][i] = hello(jdk, configs[c]);
                }
            }
            long base = median(times[0]);
            for (int c = 0; c < configs.length; c++) {
                long m = median(times[c]);
                int classes = loadedClasses(jdk, configs[c]);
                report(String.format(Locale.ROOT, "%s start-up %-35s median %4d ms (x%.2f, %+d ms), %d classes loaded",
                        jdk, names[c], m / 1_000_000, (double) m / base, (m - base) / 1_000_000, classes));
            }
        }
    }

    /**
     * An agent jar whose premain does nothing: what any {@code -javaagent} costs the JVM
     * (resolving java.instrument, loading the jar), so the report can tell that from our share.
     */
    private static Path emptyAgent() throws IOException {
        Path dir = Files.createTempDirectory("empty-agent");
        Path src = dir.resolve("EmptyAgent.java");
        Files.writeString(src, "public class EmptyAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) { } }\n");
        FixtureCompiler.compile(dir, null, src);
        Path jar = dir.resolve("empty-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "EmptyAgent");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("EmptyAgent.class"));
            out.write(Files.readAllBytes(dir.resolve("EmptyAgent.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static long hello(Jdk jdk, String... options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(Arrays.asList(options));
        cmd.addAll(List.of("-cp", ChildJvm.TEST_CLASSES.toString(), Hello.class.getName()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        long elapsed = System.nanoTime() - start;
        assertEquals(0, rc, out);
        assertTrue(out.contains("hello, world"), out);
        return elapsed;
    }

    private static int loadedClasses(Jdk jdk, String... options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add("-Xlog:class+load=info");
        cmd.addAll(Arrays.asList(options));
        cmd.addAll(List.of("-cp", ChildJvm.TEST_CLASSES.toString(), Hello.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.contains("[class,load]")) {
                n++;
            }
        }
        return n;
    }

    private static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
