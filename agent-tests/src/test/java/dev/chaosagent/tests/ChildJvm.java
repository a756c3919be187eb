package dev.chaosagent.tests;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Launches a child JVM with the agent and an explicit, minimal class path (this module's test
 * classes only), captures its output, and puts both streams into every failure message.
 */
public final class ChildJvm {
    public static final Path AGENT_JAR = Paths.get(System.getProperty("chaos.agent.jar", "../agent/target/chaos-agent.jar"))
            .toAbsolutePath().normalize();
    public static final Path TEST_CLASSES = Paths.get(System.getProperty("chaos.test.classes", "target/test-classes"))
            .toAbsolutePath().normalize();
    public static final String FIXTURE = "dev.chaosagent.fixtures.FixtureMain";
    /** The repository's root (the demo, the manifests, the shipped rules files). */
    public static final Path PROJECT_ROOT = Paths.get(System.getProperty("chaos.project.root", "..")).toAbsolutePath().normalize();
    /** The other projects' jars the build fetched for the tests (agents, libraries). */
    public static final Path FIXTURE_LIBS = Paths.get(System.getProperty("chaos.fixture.libs", "target/fixture-libs"))
            .toAbsolutePath();

    private static final List<Process> LIVE = new CopyOnWriteArrayList<>();

    private final Jdk jdk;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    /** Environment variables to set (a null value removes one the test JVM has). */
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String agentOption = "-javaagent:" + AGENT_JAR;
    private String classPath = TEST_CLASSES.toString();

    private ChildJvm(Jdk jdk) {
        this.jdk = jdk;
    }

    public static ChildJvm on(Jdk jdk) {
        jdk.assumePresent();
        return new ChildJvm(jdk);
    }

    public ChildJvm prop(String key, Object value) {
        properties.put(key, String.valueOf(value));
        return this;
    }

    /** Adds the keys of one rule: {@code rule("db", "a.B#c", "exception", 0.5)}. */
    public ChildJvm rule(String name, String target, String fault, double probability) {
        return prop("chaos.rule." + name + ".target", target)
                .prop("chaos.rule." + name + ".fault", fault)
                .prop("chaos.rule." + name + ".probability", probability);
    }

    /** Sets an environment variable of the child; a null value removes it. */
    public ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ChildJvm jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Lets an agent be loaded into the child while it runs without a warning (JDK 21+ warns otherwise, JEP 451). */
    public ChildJvm allowingDynamicAgents() {
        if (jdk.feature() >= 21) {
            jvmOptions.add("-XX:+EnableDynamicAgentLoading");
        }
        return this;
    }

    public ChildJvm agentArgument(String argument) {
        agentOption = "-javaagent:" + AGENT_JAR + "=" + argument;
        return this;
    }

    /** Uses another build of the agent jar (a copy the test altered, say). */
    public ChildJvm agentJar(Path jar) {
        agentOption = "-javaagent:" + jar.toAbsolutePath();
        return this;
    }

    public ChildJvm withoutAgent() {
        agentOption = null;
        return this;
    }

    public ChildJvm classPath(String cp) {
        classPath = cp;
        return this;
    }

    List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add("-Xshare:auto");
        if (agentOption != null) {
            cmd.add(agentOption);
        }
        cmd.addAll(jvmOptions);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        if (mainClass.endsWith(".jar")) {
            cmd.add("-jar"); // an executable jar: its manifest names the main class and the class path
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        cmd.add(mainClass);
        for (String a : args) {
            cmd.add(a);
        }
        return cmd;
    }

    /** Runs the fixture to completion. */
    public Result run(String... args) {
        return runMain(FIXTURE, args);
    }

    public Result runMain(String mainClass, String... args) {
        try (Running r = startMain(mainClass, args)) {
            return r.await(Duration.ofSeconds(120));
        }
    }

    public Running start(String... args) {
        return startMain(FIXTURE, args);
    }

    /** Starts an executable jar ({@code java -jar}) with the agent and properties. */
    public Running startJar(Path jar, String... args) {
        return startMain(jar.toString(), args);
    }

    public Running startMain(String mainClass, String... args) {
        List<String> cmd = command(mainClass, args);
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd);
            for (Map.Entry<String, String> e : environment.entrySet()) {
                if (e.getValue() == null) {
                    builder.environment().remove(e.getKey());
                } else {
                    builder.environment().put(e.getKey(), e.getValue());
                }
            }
            Process p = builder.start();
            LIVE.add(p);
            return new Running(p, cmd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An executable of this machine's PATH, or null when none is there. */
    public static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Paths.get(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Kills every child still running: called from the tests' {@code @AfterEach}. */
    public static void killAll() {
        for (Process p : LIVE) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        LIVE.clear();
    }

    /** A child that is still running: its stdout can be read line by line while it runs. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final List<String> command;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
        private final StringBuffer out = new StringBuffer();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        Running(Process process, List<String> command) {
            this.process = process;
            this.command = command;
            this.outPump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        out.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "child-stdout");
            this.errPump = new Thread(() -> pump(process.getErrorStream(), err, errLines), "child-stderr");
            outPump.setDaemon(true);
            errPump.setDaemon(true);
            outPump.start();
            errPump.start();
        }

        private static void pump(InputStream in, ByteArrayOutputStream sink, BlockingQueue<String> queue) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (sink) {
                        sink.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    queue.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        /** Writes one line to the child's stdin. */
        public void send(String line) {
            try {
                process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException e) {
                throw new AssertionError("cannot write to the child: " + e + "\n" + dump(), e);
            }
        }

        /** What the child wrote to stdout so far. */
        public String stdoutSoFar() {
            return out.toString();
        }

        /** What the child wrote to stderr so far. */
        public String stderrSoFar() {
            return stderr();
        }

        @Override
        public String toString() {
            return dump();
        }

        public long pid() {
            return process.pid();
        }

        /** The value of {@code key=} in a stdout line (fields separated by spaces). */
        public static String field(String line, String key) {
            for (String token : line.split(" ")) {
                if (token.startsWith(key + "=")) {
                    return token.substring(key.length() + 1);
                }
            }
            throw new AssertionError("no " + key + "= in: " + line);
        }

        /** Waits for the next stdout line starting with {@code prefix}; fails with both streams on timeout. */
        public String awaitLine(String prefix, Duration timeout) {
            return await(lines, prefix, false, timeout);
        }

        /** Waits for the next stderr line containing {@code text}; fails with both streams on timeout. */
        public String awaitErrLine(String text, Duration timeout) {
            return await(errLines, text, true, timeout);
        }

        private String await(BlockingQueue<String> queue, String text, boolean anywhere, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    String line = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (line == null) {
                        throw new AssertionError("no line " + (anywhere ? "containing" : "starting with") + " '" + text
                                + "' within " + timeout + "\n" + dump());
                    }
                    if (anywhere ? line.contains(text) : line.startsWith(text)) {
                        return line;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("child did not finish within " + timeout + "\n" + dump());
                }
                outPump.join(10_000);
                errPump.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new Result(process.exitValue(), out.toString(), stderr(), command);
        }

        private String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        private String dump() {
            return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + out + "--- stderr ---\n" + stderr();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            LIVE.remove(process);
        }
    }

    /** A finished child: exit code and both streams. {@link #toString()} is the failure context. */
    public record Result(int exitCode, String stdout, String stderr, List<String> command) {
        /** The value of {@code key=} on the stdout line starting with {@code prefix} (fields separated by spaces). */
        public String field(String prefix, String key) {
            for (String line : stdout.split("\n")) {
                if (line.startsWith(prefix)) {
                    for (String token : line.split(" ")) {
                        if (token.startsWith(key + "=")) {
                            return token.substring(key.length() + 1);
                        }
                    }
                }
            }
            throw new AssertionError("no " + key + "= on a line starting with '" + prefix + "'\n" + this);
        }

        public long count(String prefix, String key) {
            return Long.parseLong(field(prefix, key));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\ncommand: " + String.join(" ", command) + "\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr;
        }
    }
}
