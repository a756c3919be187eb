package dev.chaosagent.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A chaos experiment as a team would run one in staging: the service runs in this process, a
 * load generator drives it through steady state (disarmed), chaos (armed over JMX) and recovery
 * (disarmed), and the run ends with hypotheses checked, PASS or FAIL, and a data-integrity check.
 */
final class Experiment {
    static final String ATTACH_HINT = "java -javaagent:agent/target/chaos-agent.jar=demo-app/chaos.properties"
            + " -jar demo-app/target/demo-app.jar experiment";

    /** Command-line options, with defaults that make a one- to two-minute run. */
    static final class Options {
        Duration phase = Duration.ofSeconds(20);
        Duration warmup = Duration.ofSeconds(5);
        int clients = 8;
        int port = 0;
        Duration timeout = Duration.ofMillis(2000);
        Path report = Paths.get("demo-app/target/chaos-report.html");

        static Options parse(String[] args, int from) {
            Options o = new Options();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--quick")) {
                    o.phase = Duration.ofSeconds(6);
                    o.warmup = Duration.ofSeconds(3);
                } else if (a.startsWith("--phase=")) {
                    o.phase = Duration.ofSeconds(positive(a, "--phase="));
                } else if (a.startsWith("--clients=")) {
                    o.clients = (int) positive(a, "--clients=");
                } else if (a.startsWith("--port=")) {
                    o.port = Integer.parseInt(a.substring("--port=".length()));
                } else if (a.startsWith("--timeout-ms=")) {
                    o.timeout = Duration.ofMillis(positive(a, "--timeout-ms="));
                } else if (a.startsWith("--report=")) {
                    o.report = Paths.get(a.substring("--report=".length()));
                } else {
                    throw new IllegalArgumentException("unknown option " + a + "; options: --quick, --phase=<seconds>,"
                            + " --clients=<n>, --port=<n>, --timeout-ms=<n>, --report=<file>");
                }
            }
            return o;
        }

        private static long positive(String arg, String prefix) {
            long v = Long.parseLong(arg.substring(prefix.length()));
            if (v <= 0) {
                throw new IllegalArgumentException(arg + ": must be positive");
            }
            return v;
        }
    }

    /** One checked expectation. */
    record Hypothesis(String name, boolean holds, String evidence) {
    }

    private final Options options;
    private final PrintStream out;

    Experiment(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** @return the process exit code: 0 when every hypothesis holds */
    int run() throws Exception {
        long origin = System.nanoTime();
        try (OrderSystem system = new OrderSystem("experiment", options.port)) {
            out.printf(Locale.ROOT, "chaos experiment against the order service on 127.0.0.1:%d: %d clients, phases of %d s,"
                    + " client timeout %d ms%n", system.api().port(), options.clients, options.phase.toSeconds(), options.timeout.toMillis());
            AgentHandle agent = AgentHandle.find(5_000);
            if (agent == null) {
                out.println("no chaos-agent is attached, so this runs the steady-state phase only.");
                out.println("to attack the service, attach the agent:  " + ATTACH_HINT);
            } else {
                agent.disarm();
                out.println("chaos-agent found over JMX: " + agent.status());
            }
            LoadGenerator load = new LoadGenerator(system.api().port(), options.timeout, origin);
            List<Sample> all = new ArrayList<>(load.run(options.clients, options.warmup, 1));
            List<PhaseResult> phases = new ArrayList<>();
            phases.add(phase("steady", system, agent, load, all, origin, 2));
            if (agent != null) {
                agent.arm();
                phases.add(phase("chaos", system, agent, load, all, origin, 3));
                agent.disarm();
                phases.add(phase("recovery", system, agent, load, all, origin, 4));
            }
            printPhases(phases, agent);
            Hypothesis integrity = integrity(system, all);
            List<Hypothesis> hypotheses = hypotheses(phases, integrity);
            out.println();
            boolean allHold = true;
            for (Hypothesis h : hypotheses) {
                out.println((h.holds() ? "PASS  " : "FAIL  ") + h.name() + ": " + h.evidence());
                allHold &= h.holds();
            }
            Path report = HtmlReport.write(options.report, phases, hypotheses, all, agent == null ? Map.of() : faults(agent, phases));
            out.println();
            out.println("report: " + report);
            out.println("result: " + (allHold ? "all " + hypotheses.size() + " hypotheses hold" : "some hypotheses FAILED"));
            return allHold ? 0 : 1;
        }
    }

    private PhaseResult phase(String name, OrderSystem system, AgentHandle agent, LoadGenerator load, List<Sample> all,
                              long origin, long seed) throws Exception {
        Map<String, Long> before = agent == null ? Map.of() : agent.injections();
        int lostBefore = system.api().workersLost();
        long start = (System.nanoTime() - origin) / 1_000_000;
        List<Sample> samples = load.run(options.clients, options.phase, seed);
        long end = (System.nanoTime() - origin) / 1_000_000;
        all.addAll(samples);
        // A killed worker's replacement is added as the dying thread exits, just after its client
        // saw the error: give the pool a moment to settle before counting.
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (system.api().liveWorkers() < OrderApi.WORKERS && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Map<String, Long> injections = new LinkedHashMap<>();
        if (agent != null) {
            for (Map.Entry<String, Long> e : agent.injections().entrySet()) {
                injections.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L));
            }
        }
        return new PhaseResult(name, start, end, samples, system.api().liveWorkers(), system.api().workersLost() - lostBefore,
                injections);
    }

    private void printPhases(List<PhaseResult> phases, AgentHandle agent) throws Exception {
        out.println();
        out.printf(Locale.ROOT, "%-9s %9s %8s %8s %7s %7s %7s %8s %8s  %s%n", "phase", "requests", "req/s", "success",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "workers", "errors");
        for (PhaseResult p : phases) {
            out.printf(Locale.ROOT, "%-9s %9d %8.1f %7.2f%% %7.1f %7.1f %7.1f %8.1f %6d/%d  %s%n", p.name, p.requests, p.throughput(),
                    p.successRate() * 100, p.p50 / 1000.0, p.p95 / 1000.0, p.p99 / 1000.0, p.max / 1000.0, p.liveWorkers,
                    OrderApi.WORKERS, p.errors.isEmpty() ? "-" : p.errors.toString().replaceAll("[{}]", ""));
        }
        if (agent == null) {
            return;
        }
        out.println();
        out.println("injections per rule (from the rule MXBeans):");
        for (String rule : phases.get(0).injections.keySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-18s", rule, "(" + agent.fault(rule) + ")"));
            for (PhaseResult p : phases) {
                line.append(String.format(Locale.ROOT, " %s=%-6d", p.name, p.injections.getOrDefault(rule, 0L)));
            }
            out.println(line.toString().stripTrailing());
        }
        StringBuilder lost = new StringBuilder("worker threads killed and replaced:");
        for (PhaseResult p : phases) {
            lost.append(' ').append(p.name).append('=').append(p.workersLost);
        }
        out.println(lost);
    }

    /** Every order a client saw succeed is in the database exactly once; stock + sold = the initial stock. */
    private static Hypothesis integrity(OrderSystem system, List<Sample> all) throws Exception {
        try (Connection c = system.database().connection()) {
            Map<Long, Integer> rows = system.repository().orderIdCounts(c);
            int confirmed = 0;
            int missing = 0;
            int duplicated = 0;
            for (Sample s : all) {
                if (s.ok()) {
                    confirmed++;
                    Integer n = rows.get(s.orderId());
                    if (n == null) {
                        missing++;
                    } else if (n != 1) {
                        duplicated++;
                    }
                }
            }
            long stock = system.repository().unitsInStock(c);
            long sold = system.repository().unitsSold(c);
            long initial = system.database().initialStock();
            boolean holds = missing == 0 && duplicated == 0 && stock + sold == initial;
            return new Hypothesis("data integrity", holds, String.format(Locale.ROOT,
                    "%d orders confirmed to clients, %d missing from the database, %d recorded more than once;"
                            + " stock %d + sold %d = %d, initial stock %d", confirmed, missing, duplicated, stock, sold, stock + sold, initial));
        }
    }

    private List<Hypothesis> hypotheses(List<PhaseResult> phases, Hypothesis integrity) {
        List<Hypothesis> list = new ArrayList<>();
        PhaseResult steady = phases.get(0);
        list.add(new Hypothesis("steady state is healthy", steady.successRate() >= 0.99 && steady.errorsOf("timeout") == 0,
                String.format(Locale.ROOT, "%.2f%% success (needs >= 99%%), %d timeouts", steady.successRate() * 100,
                        steady.errorsOf("timeout"))));
        if (phases.size() == 3) {
            PhaseResult chaos = phases.get(1);
            PhaseResult recovery = phases.get(2);
            long timeoutMicros = options.timeout.toMillis() * 1000;
            boolean degradesNotCollapses = chaos.successRate() >= 0.5 && chaos.liveWorkers == OrderApi.WORKERS
                    && chaos.errorsOf("timeout") == 0 && chaos.max < timeoutMicros;
            list.add(new Hypothesis("under chaos the service degrades but does not collapse", degradesNotCollapses,
                    String.format(Locale.ROOT, "%.2f%% success (needs >= 50%%), %d/%d workers alive after %d were killed,"
                                    + " %d timeouts, slowest request %.1f ms (timeout %d ms)", chaos.successRate() * 100, chaos.liveWorkers,
                            OrderApi.WORKERS, chaos.workersLost, chaos.errorsOf("timeout"), chaos.max / 1000.0, options.timeout.toMillis())));
            long allowedP99 = Math.max(2 * steady.p99, steady.p99 + 20_000);
            list.add(new Hypothesis("recovery returns to steady state",
                    recovery.successRate() >= 0.99 && recovery.p99 <= allowedP99 && recovery.totalInjections() == 0,
                    String.format(Locale.ROOT, "%.2f%% success (needs >= 99%%), p99 %.1f ms (needs <= %.1f ms), %d injections",
                            recovery.successRate() * 100, recovery.p99 / 1000.0, allowedP99 / 1000.0, recovery.totalInjections())));
        }
        list.add(integrity);
        return list;
    }

    private static Map<String, String> faults(AgentHandle agent, List<PhaseResult> phases) throws Exception {
        Map<String, String> faults = new LinkedHashMap<>();
        for (String rule : phases.get(0).injections.keySet()) {
            faults.put(rule, agent.fault(rule));
        }
        return faults;
    }
}
