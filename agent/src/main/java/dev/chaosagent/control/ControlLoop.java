package dev.chaosagent.control;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.bootstrap.Site;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.log.AgentLog;
import dev.chaosagent.plan.PlanCompiler;
import dev.chaosagent.plan.RuleTarget;
import dev.chaosagent.weave.WeavingTransformer;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one thread, {@code chaos-agent-control}: every {@code chaos.poll} it re-reads
 * system properties and the config file, and when they changed it validates them, publishes a
 * new dispatch table and logs what changed. It also logs the first injections of each rule, a
 * periodic per-rule summary, and every distinct problem once. It survives its own errors.
 */
public final class ControlLoop implements Runnable {
    public static final String THREAD_NAME = "chaos-agent-control";

    private final ConfigSources sources;
    private final List<RuleTarget> targets;
    private final WeavingTransformer transformer;
    private final Logger log;

    private volatile ChaosConfig config;
    private Map<String, String> lastValues;
    private Map<String, String> lastOrigins;
    /** Values written over JMX (they live on as system properties), to tell their source apart. */
    private final Map<String, String> jmxValues = new HashMap<>();
    private volatile String lastConfigError = "";
    private Runnable firstPollAction;
    private Set<String> activeSourceProblems = new HashSet<>();
    private Set<String> activeConfigProblems = new HashSet<>();
    private final Set<String> reportedSiteFailures = new HashSet<>();
    private final Set<String> periodicWarned = new HashSet<>();
    private final int[] firstInjectionsLogged;
    private final long[] callsAtLastSummary;
    private final long[] injectionsAtLastSummary;
    private long lastSummaryNanos = System.nanoTime();
    private boolean firstPollDone;

    public ControlLoop(ConfigSources sources, ChaosConfig config, List<RuleTarget> targets, WeavingTransformer transformer,
                       Logger log) {
        this.sources = sources;
        this.config = config;
        this.targets = targets;
        this.transformer = transformer;
        this.log = log;
        this.firstInjectionsLogged = new int[targets.size()];
        this.callsAtLastSummary = new long[targets.size()];
        this.injectionsAtLastSummary = new long[targets.size()];
    }

    /**
     * Logs the start-up problems and notices, and remembers them and the values they came from,
     * so that the first poll re-parses only if something changed.
     */
    public void reportStartup(ConfigSources.Snapshot snapshot, ConfigParser.Outcome outcome) {
        activeSourceProblems = report(snapshot.problems(), activeSourceProblems, true);
        Set<String> next = report(outcome.problems(), activeConfigProblems, true);
        next.addAll(report(outcome.notices(), activeConfigProblems, false));
        activeConfigProblems = next;
        lastValues = snapshot.values();
        lastOrigins = snapshot.origins();
    }

    /** Something to run on the control thread at its first poll (the JMX registration). */
    public void onFirstPoll(Runnable action) {
        firstPollAction = action;
    }

    /**
     * Starts the control thread, and registers a shutdown hook that logs what the last poll did
     * not: the first injections and a final line per rule (a short run may end before any poll).
     */
    public void start() {
        Thread thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            @Override
            public void run() {
                finalReport();
            }
        }, "chaos-agent-shutdown"));
    }

    synchronized void finalReport() {
        Dispatcher.exemptCurrentThread(true);
        logFirstInjections();
        logSiteFailures();
        warnAboutPeriodicTasks();
        int woven = 0;
        for (RuleTarget t : targets) {
            woven += transformer.wovenCount(t.index());
        }
        if (woven == 0) {
            return; // nothing was woven, so nothing can have happened
        }
        long[] callsPerRule = callsPerRule();
        int width = 4;
        for (RuleTarget t : targets) {
            width = Math.max(width, t.name().length());
        }
        log.info("final: {}", row(width, "rule", "calls", "injections", "observed", "configured"));
        for (RuleTarget t : targets) {
            long calls = callsPerRule[t.index()];
            long injections = t.stats().injections();
            RuleConfig r = config.rules().get(t.name());
            log.info("final: {}", row(width, t.name(), Long.toString(calls), Long.toString(injections),
                    calls == 0 ? "-" : percent((double) injections / calls), percent(r.probability())));
        }
    }

    /** A table row, padded by hand: String.format would load Formatter, regex and locale data at exit. */
    private static String row(int width, String rule, String calls, String injections, String observed, String configured) {
        StringBuilder b = new StringBuilder(rule);
        pad(b, width - rule.length());
        pad(b, 13 - calls.length());
        b.append(calls);
        pad(b, 13 - injections.length());
        b.append(injections);
        pad(b, 10 - observed.length());
        b.append(observed);
        pad(b, 12 - configured.length());
        return b.append(configured).toString();
    }

    private static void pad(StringBuilder b, int spaces) {
        for (int i = 0; i < spaces; i++) {
            b.append(' ');
        }
    }

    @Override
    public void run() {
        Dispatcher.exemptCurrentThread(true);
        while (true) {
            try {
                Thread.sleep(config.pollMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                poll();
            } catch (Throwable t) {
                log.error("control thread: {}; it carries on with the settings in force", t.toString());
            }
        }
    }

    /** One round: re-read, apply changes, then report what the rules did. */
    public synchronized void poll() {
        ConfigSources.Snapshot snapshot = sources.read();
        activeSourceProblems = report(snapshot.problems(), activeSourceProblems, true);
        lastOrigins = snapshot.origins();
        if (!lastValues.equals(snapshot.values())) {
            lastValues = snapshot.values();
            apply(ConfigParser.parse(snapshot.values(), config, config.seed()));
        }
        logFirstInjections();
        logSiteFailures();
        warnAboutPeriodicTasks();
        if (!firstPollDone) {
            firstPollDone = true;
            reportRulesMatchingNothing();
            if (firstPollAction != null) {
                firstPollAction.run();
            }
        }
        long summaryMillis = config.summaryMillis();
        if (summaryMillis > 0 && System.nanoTime() - lastSummaryNanos >= summaryMillis * 1_000_000L) {
            lastSummaryNanos = System.nanoTime();
            logSummary();
        }
    }

    private void apply(ConfigParser.Outcome outcome) {
        Set<String> next = report(outcome.problems(), activeConfigProblems, true);
        next.addAll(report(outcome.notices(), activeConfigProblems, false));
        activeConfigProblems = next;
        ChaosConfig previous = config;
        ChaosConfig current = outcome.config();
        config = current;
        AgentLog.start(current.logLevel());
        Dispatcher.publish(PlanCompiler.table(current));
        logChanges(previous, current);
    }

    /** Logs each line not already active; returns the new active set. */
    private Set<String> report(List<String> lines, Set<String> active, boolean problem) {
        Set<String> next = new HashSet<>();
        for (String line : lines) {
            next.add(line);
            if (problem) {
                lastConfigError = line;
            }
            if (!active.contains(line)) {
                if (problem) {
                    log.error(line);
                } else {
                    log.info(line);
                }
            }
        }
        return next;
    }

    private void logChanges(ChaosConfig a, ChaosConfig b) {
        if (a.armed() != b.armed()) {
            log.info(b.armed() ? "chaos ARMED: rules now fire" : "chaos disarmed: no new fault starts");
        }
        if (a.pollMillis() != b.pollMillis()) {
            log.info("poll {} -> {}", ConfigParser.showMillis(a.pollMillis()), ConfigParser.showMillis(b.pollMillis()));
        }
        if (a.summaryMillis() != b.summaryMillis()) {
            log.info("summary {} -> {}", ConfigParser.showMillis(a.summaryMillis()), ConfigParser.showMillis(b.summaryMillis()));
        }
        if (a.logLevel() != b.logLevel()) {
            log.info("log level {} -> {}", a.logLevel().text(), b.logLevel().text());
        }
        for (RuleConfig before : a.rules().values()) {
            RuleConfig after = b.rules().get(before.name());
            String rule = "rule '" + before.name() + "' ";
            if (before.probability() != after.probability()) {
                log.info("{}probability {} -> {}", rule, before.probability(), after.probability());
            }
            if (before.enabled() != after.enabled()) {
                log.info("{}{}", rule, after.enabled() ? "enabled" : "disabled");
            }
            if (before.latency() != null && !before.latency().text().equals(after.latency().text())) {
                log.info("{}latency {} -> {}", rule, before.latency().text(), after.latency().text());
            }
            if (!before.effectiveMessage().equals(after.effectiveMessage())) {
                log.info("{}message '{}' -> '{}'", rule, before.effectiveMessage(), after.effectiveMessage());
            }
        }
    }

    private void logFirstInjections() {
        for (RuleTarget t : targets) {
            RuleStats stats = t.stats();
            int i = t.index();
            while (firstInjectionsLogged[i] < RuleStats.FIRST_RECORDED) {
                String line = stats.firstInjection(firstInjectionsLogged[i]);
                if (line == null) {
                    break;
                }
                firstInjectionsLogged[i]++;
                log.info("{}{}", line, firstInjectionsLogged[i] == RuleStats.FIRST_RECORDED
                        ? " (the first " + RuleStats.FIRST_RECORDED + " injections of a rule are logged; then a summary every "
                        + ConfigParser.showMillis(config.summaryMillis()) + ")" : "");
            }
        }
    }

    private void warnAboutPeriodicTasks() {
        for (RuleTarget t : targets) {
            String method = t.stats().periodicTaskHit();
            if (method != null && periodicWarned.add(t.name())) {
                log.warn("rule '{}' threw inside a periodic scheduled task ({}): the JDK cancels such a task for good and says"
                        + " nothing, so it will not run again in this JVM", t.name(), method);
            }
        }
    }

    private void logSiteFailures() {
        for (Site site : Dispatcher.sites()) {
            String failure = site.failure();
            if (failure != null && reportedSiteFailures.add(failure)) {
                log.error("{}; that method is not injected", failure);
            }
        }
    }

    private void reportRulesMatchingNothing() {
        for (RuleTarget t : targets) {
            if (transformer.wovenCount(t.index()) == 0) {
                RuleConfig r = config.rules().get(t.name());
                log.warn("rule '{}' matches no method loaded so far (target {}); classes that load later are still woven",
                        t.name(), r == null ? "?" : r.targetText());
            }
        }
    }

    /** Calls per rule (indexed like the targets): the sum over the rule's woven methods. */
    public long[] callsPerRule() {
        long[] calls = new long[targets.size()];
        for (Site site : Dispatcher.sites()) {
            calls[site.rule()] += site.calls();
        }
        return calls;
    }

    private void logSummary() {
        long[] callsPerRule = callsPerRule();
        for (RuleTarget t : targets) {
            int i = t.index();
            long calls = callsPerRule[i];
            long injections = t.stats().injections();
            if (calls == callsAtLastSummary[i] && injections == injectionsAtLastSummary[i]) {
                continue;
            }
            callsAtLastSummary[i] = calls;
            injectionsAtLastSummary[i] = injections;
            log.info("summary: {}", summary(t, calls));
        }
    }

    private String summary(RuleTarget t, long calls) {
        long injections = t.stats().injections();
        RuleConfig r = config.rules().get(t.name());
        return "rule '" + t.name() + "' " + calls + " calls, " + injections + " injections ("
                + percent(calls == 0 ? 0 : (double) injections / calls) + " observed, " + percent(r.probability())
                + " configured), " + t.stats().interruptedDelays() + " interrupted delays, methods woven: "
                + transformer.wovenCount(t.index());
    }

    /** {@code 12.34%}, without java.util.Formatter. */
    static String percent(double p) {
        long hundredths = Math.round(p * 10_000);
        long fraction = hundredths % 100;
        return hundredths / 100 + "." + (fraction < 10 ? "0" : "") + fraction + "%";
    }

    // ---- the operations JMX offers: one applier, the same validation as system properties ----

    public ChaosConfig config() {
        return config;
    }

    public List<RuleTarget> targets() {
        return targets;
    }

    public WeavingTransformer transformer() {
        return transformer;
    }

    /** The last configuration problem reported, or an empty string. */
    public String lastConfigError() {
        return lastConfigError;
    }

    /**
     * Validates {@code key=value} exactly as the control thread would validate it as a system
     * property; if it is good, writes it through to the system property (so every view of the
     * configuration agrees) and applies it before returning.
     *
     * @throws IllegalArgumentException with the same one-line message a bad system property gets
     */
    public synchronized void setProperty(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " needs a value; use clearProperty to remove it");
        }
        Map<String, String> candidate = new java.util.TreeMap<>(lastValues);
        candidate.put(key, value);
        rejectIfBad(key, candidate);
        System.setProperty(key, value);
        jmxValues.put(key, value);
        poll();
    }

    /** Removes a system property, with the same validation (a required key cannot go). */
    public synchronized void clearProperty(String key) {
        Map<String, String> candidate = new java.util.TreeMap<>(lastValues);
        candidate.remove(key);
        rejectIfBad(key, candidate);
        System.clearProperty(key);
        jmxValues.remove(key);
        poll();
    }

    private void rejectIfBad(String key, Map<String, String> candidate) {
        if (key == null || !key.startsWith(ConfigKeys.PREFIX)) {
            throw new IllegalArgumentException(key + " is not a chaos-agent key: they all start with chaos.");
        }
        ConfigParser.Outcome outcome = ConfigParser.parse(candidate, config, config.seed());
        for (String problem : outcome.problems()) {
            if (problem.startsWith(key + "=") || problem.startsWith(key + " ") || problem.startsWith("unknown key " + key + "=")) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /** Every key in force with its value and where it came from: jmx, system property, file or default. */
    public synchronized List<String> configSources() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : lastValues.entrySet()) {
            String origin = lastOrigins.get(e.getKey());
            if ("system property".equals(origin) && e.getValue().equals(jmxValues.get(e.getKey()))) {
                origin = "jmx";
            }
            lines.add(e.getKey() + "=" + e.getValue() + " (" + origin + ")");
        }
        return lines;
    }

    /** Zeroes every counter; call indexes restart too, and with them the sequence of decisions. */
    public synchronized void resetCounters() {
        for (Site site : Dispatcher.sites()) {
            site.reset();
        }
        for (RuleTarget t : targets) {
            t.stats().reset();
            callsAtLastSummary[t.index()] = 0;
            injectionsAtLastSummary[t.index()] = 0;
        }
        log.info("counters reset");
    }

    /** One line per rule for the banner: {@code rule 'db': exception java.sql.SQLException p=0.05 on ...}. */
    public static String describeRule(RuleConfig r) {
        StringBuilder b = new StringBuilder("rule '").append(r.name()).append("': ").append(r.fault().text());
        if (r.exception() != null) {
            b.append(' ').append(r.exception());
        }
        if (r.latency() != null) {
            b.append(' ').append(r.latency().text());
        }
        b.append(" p=").append(r.probability());
        if (!r.enabled()) {
            b.append(" (disabled)");
        }
        return b.append(" on ").append(r.targetText()).append(" (0 methods woven so far)").toString();
    }
}
