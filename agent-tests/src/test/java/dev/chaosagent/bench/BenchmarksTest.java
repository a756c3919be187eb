package dev.chaosagent.bench;

import dev.chaosagent.tests.ChildJvm;
import dev.chaosagent.tests.FixtureCompiler;
import dev.chaosagent.tests.Jdk;
import dev.chaosagent.tests.Jmx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        for (Jdk jdk : presentJdks()) {
            double plain = jmh(jdk, 1, "none");
            double disarmed = jmh(jdk, 1, "disarmed", concat(WOVEN, "-Dchaos.armed=false"));
            double armed = jmh(jdk, 1, "armed p=0", concat(WOVEN, "-Dchaos.armed=true"));
            // a threads condition that every JMH worker meets: the glob is matched once per thread, then remembered
            double threads = jmh(jdk, 1, "threads p=0", concat(WOVEN, "-Dchaos.armed=true", "-Dchaos.rule.b.threads=*jmh-worker*"));
            report(String.format(Locale.ROOT, "%s per call: un-woven %.3f ns; woven disarmed %.3f ns (x%.2f); woven armed p=0 %.3f ns (x%.2f);"
                    + " armed p=0 with a threads condition %.3f ns (x%.2f, x%.2f of armed p=0)",
                    jdk, plain, disarmed, disarmed / plain, armed, armed / plain, threads, threads / plain, threads / armed));
        }
    }

    /**
     * The armed cost with 1, 2 and 8 threads calling the one woven method at once, at p=0 and at
     * p=0.001 (a latency rule of 0ms, so that one call in a thousand goes through the injection
     * path and returns). Each figure is CPU time per call: JMH's average time per call and thread,
     * times the cores busy over the threads running (on 2 cores, 8 threads each get a quarter of
     * one). The agent's cost is that figure minus the un-woven method's at the same thread count;
     * the report gives it as a ratio against the same configuration's 1-thread cost.
     */
    @Test
    void armedCostWithThreadsOnOneMethod() throws Exception {
        String[][] configs = {
                concat(WOVEN, "-Dchaos.armed=true"),
                {AGENT, RULE, "-Dchaos.rule.b.fault=latency", "-Dchaos.rule.b.latency=0ms", "-Dchaos.rule.b.probability=0.001",
                        "-Dchaos.armed=true", "-Dchaos.summary=0"},
        };
        String[] names = {"armed p=0", "armed latency 0ms p=0.001"};
        int[] threadCounts = {1, 2, 8};
        int cores = Runtime.getRuntime().availableProcessors();
        for (Jdk jdk : presentJdks()) {
            double[] plain = new double[threadCounts.length];
            for (int t = 0; t < threadCounts.length; t++) {
                plain[t] = cpuPerCall(jmh(jdk, threadCounts[t], "none"), threadCounts[t], cores);
            }
            for (int c = 0; c < configs.length; c++) {
                StringBuilder line = new StringBuilder(jdk + " " + names[c] + ", agent's cost per call:");
                double single = 0;
                for (int t = 0; t < threadCounts.length; t++) {
                    double cost = cpuPerCall(jmh(jdk, threadCounts[t], names[c], configs[c]), threadCounts[t], cores) - plain[t];
                    if (t == 0) {
                        single = cost;
                    }
                    line.append(String.format(Locale.ROOT, " %d thread(s) %+.3f ns", threadCounts[t], cost));
                    if (t > 0) {
                        line.append(String.format(Locale.ROOT, " (x%.2f of 1 thread)", cost / single));
                    }
                    line.append(';');
                }
                report(line.substring(0, line.length() - 1));
            }
        }
    }

    /** The JDKs to measure on; each one absent from this machine is reported as skipped. */
    private static List<Jdk> presentJdks() {
        List<Jdk> present = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            if (jdk.present()) {
                present.add(jdk);
            } else {
                report(jdk + ": not installed at " + jdk.home() + ", skipped");
            }
        }
        return present;
    }

    private static double cpuPerCall(double nsPerCallAndThread, int threads, int cores) {
        return nsPerCallAndThread * Math.min(threads, cores) / threads;
    }

    /**
     * JMH forks per figure: each fork is a JVM of its own, whose JIT may compile the benchmark
     * differently from the next; with one fork, the same jar's 2-thread ratio spanned x0.81-x2.34
     * between runs. Three forks of 5 iterations put that spread into the figure's error.
     */
    private static final int FORKS = 3;

    /** Runs the JMH benchmark in JVMs of its own with {@code threads} threads; the forks get {@code forkOptions}. Returns ns per call. */
    private static double jmh(Jdk jdk, int threads, String label, String... forkOptions) throws Exception {
        return jmh(jdk, WovenCallBenchmark.class.getName(), threads, label, forkOptions).get("call");
    }

    /**
     * Runs the JMH benchmarks that {@code selector} names; returns ns per call by benchmark
     * method name, each reported.
     */
    private static Map<String, Double> jmh(Jdk jdk, String selector, int threads, String label, String... forkOptions)
            throws Exception {
        Path csv = Files.createTempFile("jmh-", ".csv");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-cp", withoutTheAgent(System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path"))), "org.openjdk.jmh.Main", selector,
                "-f", Integer.toString(FORKS), "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", "-t", Integer.toString(threads), "-rf", "csv",
                "-rff", csv.toString(), "-jvm", jdk.java().toString()));
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
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
            String[] row = line.split(",");
            String name = row[0].replace("\"", "");
            name = name.substring(name.lastIndexOf('.') + 1);
            double score = Double.parseDouble(row[4]);
            scores.put(name, score);
            String shown = selector.equals(WovenCallBenchmark.class.getName()) ? label : label + " " + name;
            report(String.format(Locale.ROOT, "%s JMH %-26s %d thread(s) %.3f ns/call (error %s)", jdk, shown, threads, score, row[5]));
        }
        return scores;
    }

    /**
     * What one injected exception costs the thread that gets it, against an exception the method
     * throws itself, in the same JVM ({@link InjectionBenchmark}): the rule hits every call.
     */
    @Test
    void costOfAnInjectedException() throws Exception {
        for (Jdk jdk : presentJdks()) {
            Map<String, Double> ns = jmh(jdk, InjectionBenchmark.class.getName(), 1, "exception p=1", AGENT, RULE,
                    "-Dchaos.rule.b.fault=exception", "-Dchaos.rule.b.probability=1", "-Dchaos.armed=true", "-Dchaos.summary=0");
            double injected = ns.get("injected");
            double thrown = ns.get("thrown");
            report(String.format(Locale.ROOT, "%s an injected exception, caught: %.0f ns; one the method throws itself: %.0f ns;"
                    + " the agent's cost per injection %+.0f ns (x%.2f)", jdk, injected, thrown, injected - thrown, injected / thrown));
        }
    }

    @Test
    void startUpTimeAndLoadedClasses() throws Exception {
        for (Jdk jdk : presentJdks()) {
            // the weave cache in a directory of its own: warm from the warm-up runs on, as on a second start of a service
            String cache = "-Dchaos.weave.cache=" + Files.createTempDirectory("weave-cache");
            String[][] configs = {
                    {},
                    {"-javaagent:" + emptyAgent()},
                    {AGENT, cache, "-Dchaos.rule.b.target=com.acme.Nothing#here", "-Dchaos.rule.b.fault=exception",
                            "-Dchaos.rule.b.probability=0.5"},
                    {AGENT, cache, "-Dchaos.rule.b.target=dev.chaosagent.bench.Hello#greeting", "-Dchaos.rule.b.fault=exception",
                            "-Dchaos.rule.b.probability=0.5"},
                    {AGENT, "-Dchaos.weave.cache=off", "-Dchaos.rule.b.target=dev.chaosagent.bench.Hello#greeting",
                            "-Dchaos.rule.b.fault=exception", "-Dchaos.rule.b.probability=0.5"},
                    {AGENT, cache, "-Dchaos.rule.b.target=^dev.chaosagent.bench.Hello#greeting", "-Dchaos.rule.b.fault=exception",
                            "-Dchaos.rule.b.probability=0.5"},
            };
            String[] names = {"no agent", "empty agent (the JVM's own cost)", "agent, rule matches nothing",
                    "agent, rule weaves Hello#greeting (weave cache warm)", "agent, rule weaves Hello#greeting (no weave cache)",
                    "agent, ^ rule weaves Hello#greeting (never cached)"};
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
                report(String.format(Locale.ROOT, "%s start-up %-52s median %4d ms (x%.2f, %+d ms), %d classes loaded",
                        jdk, names[c], m / 1_000_000, (double) m / base, (m - base) / 1_000_000, classes));
            }
        }
    }

    /**
     * Start-up of an application that loads 20,000 classes, with the one rule that weaves one of
     * them, and with that rule among 200 (plain names, package globs, {@code **} globs, a few
     * {@code ^} and {@code @} patterns) that name nothing else: matching must not grow with the
     * number of rules. Median of 9 interleaved runs each (with 5, JDK 17's ratio read x1.11 to x1.18
     * from one session to the next), against the application without the agent.
     */
    @Test
    void startUpWith20000ClassesAnd200Rules() throws Exception {
        Path dir = Files.createTempDirectory("many-rules");
        String one = "chaos.rule.gen.target=gen.Gen7#work\nchaos.rule.gen.fault=exception\nchaos.rule.gen.probability=0\n";
        Path oneRule = dir.resolve("one.properties");
        Files.writeString(oneRule, one);
        StringBuilder many = new StringBuilder(one);
        for (int i = 1; i < 200; i++) {
            String target;
            if (i <= 120) {
                target = "com.acme.svc" + i + ".*Repository#find*";
            } else if (i <= 160) {
                target = "com.acme.svc" + i + ".OrderService#place";
            } else if (i <= 185) {
                target = "com.acme.**.Client" + i + "#call";
            } else if (i <= 191) {
                target = "**.Handler" + i + "#handle";
            } else if (i <= 195) {
                target = "^com.acme.api.Port" + i + "#*";
            } else {
                target = "@com.acme.api.Api" + i + "#*";
            }
            many.append("chaos.rule.r").append(i).append(".target=").append(target).append('\n')
                    .append("chaos.rule.r").append(i).append(".fault=exception\n")
                    .append("chaos.rule.r").append(i).append(".probability=0\n");
        }
        Path manyRules = dir.resolve("many.properties");
        Files.writeString(manyRules, many.toString());
        String[][] configs = {{}, {AGENT + "=" + oneRule}, {AGENT + "=" + manyRules}};
        String[] names = {"no agent", "agent, 1 rule", "agent, 200 rules"};
        for (Jdk jdk : presentJdks()) {
            int runs = 9;
            long[][] times = new long[configs.length][runs];
            for (String[] c : configs) { // warm the file cache, not measured
                loadMany(jdk, c);
            }
            for (int i = 0; i < runs; i++) {
                for (int c = 0; c < configs.length; c++) {
                    times[c][i] = loadMany(jdk, configs[c]);
                }
            }
            long base = median(times[0]);
            long single = median(times[1]);
            for (int c = 0; c < configs.length; c++) {
                long m = median(times[c]);
                report(String.format(Locale.ROOT, "%s start-up, 20,000 classes, %-17s median %5d ms (x%.2f of no agent, x%.2f of 1 rule),"
                                + " runs %s ms", jdk, names[c], m / 1_000_000, (double) m / base, (double) m / single, millis(times[c])));
            }
        }
    }

    private static long loadMany(Jdk jdk, String... options) throws Exception {
        TimedRun run = timedRun(jdk, options, generatingClassPath(), ChildJvm.FIXTURE, "load-many", "20000");
        assertTrue(run.output().contains("loaded classes=20000"), run.output());
        assertEquals(options.length > 0, run.output().contains("rule 'gen' wove gen.Gen7#work(int)"), run.output());
        return run.nanos();
    }

    /** What one timed JVM printed (stdout and stderr together), and how long it ran from start to exit. */
    private record TimedRun(long nanos, String output) {
    }

    /** Runs {@code java <options> -cp <classPath> <main> <args>} to its end, which must be exit 0, and times it. */
    private static TimedRun timedRun(Jdk jdk, String[] options, String classPath, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(Arrays.asList(options));
        cmd.addAll(List.of("-cp", classPath, main));
        cmd.addAll(Arrays.asList(args));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        long elapsed = System.nanoTime() - start;
        assertEquals(0, rc, out);
        return new TimedRun(elapsed, out);
    }

    /**
     * The test class path without the agent module (a test dependency of this one): on the fork's
     * class path it would come before the {@code -javaagent} jar, which the JVM only appends, so
     * the fork would run whatever build of the agent that entry holds.
     */
    private static String withoutTheAgent(String classPath) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path path = Paths.get(entry);
            boolean agent;
            if (Files.isDirectory(path)) {
                agent = Files.exists(path.resolve("dev/chaosagent/ChaosAgent.class"));
            } else if (Files.isRegularFile(path)) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                    agent = jar.getEntry("dev/chaosagent/ChaosAgent.class") != null;
                }
            } else {
                agent = false;
            }
            if (!agent) {
                kept.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, kept);
    }

    /** The fixtures and ASM, with which the fixture generates its classes. */
    private static String generatingClassPath() throws Exception {
        Path asm = Paths.get(org.objectweb.asm.ClassWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ChildJvm.TEST_CLASSES + java.io.File.pathSeparator + asm;
    }

    private static String millis(long[] nanos) {
        StringBuilder b = new StringBuilder();
        for (long n : nanos) {
            b.append(b.length() == 0 ? "" : "/").append(n / 1_000_000);
        }
        return b.toString();
    }

    /**
     * Adding and removing a rule in a JVM with 20,000 generated classes loaded (22,000 with the
     * JDK's), 10 times each over JMX: the applier's own time for each change (the agent's debug
     * line: parsing, finding the classes the rule names, weaving them) and the application's pause
     * in the JVM's retransformation safepoint ({@code -Xlog:safepoint}, "RedefineClasses").
     */
    @Test
    void addingARuleWith20000ClassesLoaded() throws Exception {
        for (Jdk jdk : presentJdks()) {
            Path safepoints = Files.createTempFile("safepoints-", ".log");
            try (ChildJvm.Running child = ChildJvm.on(jdk).prop("chaos.log.level", "debug").prop("chaos.summary", "0")
                    .jvm("-Xlog:safepoint=info:file=" + safepoints).classPath(generatingClassPath()).start("serve-many", "20000")) {
                child.awaitLine("serving", java.time.Duration.ofMinutes(2));
                try (javax.management.remote.JMXConnector jmx = Jmx.attach(child.pid())) {
                    javax.management.MBeanServerConnection c = jmx.getMBeanServerConnection();
                    Jmx.awaitRegistered(c, Jmx.AGENT, java.time.Duration.ofMinutes(1));
                    Jmx.invoke(c, Jmx.AGENT, "defineRule", "warm", "target=gen.Gen1#work fault=exception probability=0");
                    Jmx.invoke(c, Jmx.AGENT, "removeRule", "warm"); // the first weaving of a JVM loads the weaver
                    for (int i = 0; i < 10; i++) {
                        Jmx.invoke(c, Jmx.AGENT, "defineRule", "live", "target=gen.Gen" + (100 + i) + "#work fault=exception probability=0");
                        Jmx.invoke(c, Jmx.AGENT, "removeRule", "live");
                    }
                }
                child.send("quit");
                child.await(java.time.Duration.ofMinutes(1));
                List<Long> outside = new ArrayList<>();
                for (String line : child.stderrSoFar().split("\n")) {
                    int at = line.indexOf("rule change applied in ");
                    if (at >= 0) {
                        String rest = line.substring(line.indexOf(": ", at) + 2);
                        outside.add(Long.parseLong(rest.substring(0, rest.indexOf(' '))));
                    }
                }
                assertEquals(22, outside.size(), child::toString);
                List<Long> adds = new ArrayList<>();
                List<Long> removes = new ArrayList<>();
                for (int i = 2; i < outside.size(); i++) {
                    (i % 2 == 0 ? adds : removes).add(outside.get(i));
                }
                List<Long> pauses = new ArrayList<>();
                for (String line : Files.readAllLines(safepoints)) {
                    if (line.contains("\"RedefineClasses\"")) {
                        int total = line.lastIndexOf("Total: ");
                        pauses.add(Long.parseLong(line.substring(total + 7, line.indexOf(' ', total + 7))) / 1000);
                    }
                }
                assertTrue(pauses.size() >= 20, () -> "RedefineClasses safepoints: " + pauses);
                report(String.format(Locale.ROOT, "%s live rule, 20,000 classes loaded: applier's time outside the JVM's"
                                + " retransformation, adding %s, removing %s; application paused in RedefineClasses %s",
                        jdk, spread(adds), spread(removes), spread(pauses.subList(pauses.size() - 20, pauses.size()))));
            } finally {
                Files.deleteIfExists(safepoints);
            }
        }
    }

    /** Median (min..max) of microsecond figures, in ms. */
    private static String spread(List<Long> micros) {
        long[] v = new long[micros.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = micros.get(i);
        }
        Arrays.sort(v);
        return String.format(Locale.ROOT, "median %.1f ms (%.1f..%.1f)", median(v) / 1000.0, v[0] / 1000.0, v[v.length - 1] / 1000.0);
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
        TimedRun run = timedRun(jdk, options, ChildJvm.TEST_CLASSES.toString(), Hello.class.getName());
        assertTrue(run.output().contains("hello, world"), run.output());
        return run.nanos();
    }

    private static int loadedClasses(Jdk jdk, String... options) throws Exception {
        String out = timedRun(jdk, concat(new String[] {"-Xlog:class+load=info"}, options), ChildJvm.TEST_CLASSES.toString(),
                Hello.class.getName()).output();
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
