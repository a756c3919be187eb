package dev.chaosagent.control;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.RuleStats;
import dev.chaosagent.bootstrap.Site;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.Fleet;
import dev.chaosagent.config.Problem;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.config.StopCondition;
import dev.chaosagent.config.ValueType;
import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Plan;
import dev.chaosagent.plan.RulePlan;
import dev.chaosagent.plan.WeaveListener;
import dev.chaosagent.plan.WeaveRecord;
import dev.chaosagent.plan.Weaving;
import org.slf4j.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the agent says: the banner, each problem once while it lasts, each change applied,
 * what the weaver did, the first injections of each rule, periodic summaries and the final
 * table. It decides nothing; it reads the plan, the weave record and the counters.
 */
public final class Reporter implements WeaveListener {
    /** Woven classes logged at info per rule; after that at debug (an app may generate thousands). */
    static final int CLASSES_LOGGED = 10;

    private final Logger log;
    private final WeaveRecord record;
    private final DispatcherGate gate;
    private Set<String> activeSourceProblems = new HashSet<>();
    private Set<String> activeConfigProblems = new HashSet<>();
    private volatile String lastConfigError = "";
    private final Set<String> reportedSiteFailures = new HashSet<>();
    private final Set<String> reportedWeaveFailures = new HashSet<>();
    /** Skip lines already logged, per rule generation: a class woven again does not repeat them. */
    private final Set<String> reportedSkips = new HashSet<>();
    private final Set<String> periodicWarned = new HashSet<>();
    /** (rule generation, class) pairs already logged as woven: a class re-woven for another rule's sake is not. */
    private final Set<String> reportedWoven = new HashSet<>();
    /** Per rule slot: injections logged, classes logged, calls and injections at the last summary. */
    private final Map<Integer, SlotReport> perSlot = new HashMap<>();
    private long lastSummaryNanos = System.nanoTime();

    /** @param gate says whether the dispatcher is there: until it is, nothing is woven, so nothing happened to report */
    public Reporter(Logger log, WeaveRecord record, DispatcherGate gate) {
        this.log = log;
        this.record = record;
        this.gate = gate;
    }

    /** What has been said of one rule slot so far. */
    private static final class SlotReport {
        /** First injections logged, and first dry-run decisions logged. */
        final int[] firstLogged = new int[2];
        long classesLogged;
        long callsAtSummary;
        long injectionsAtSummary;
    }

    private synchronized SlotReport slot(int slot) {
        SlotReport s = perSlot.get(slot);
        if (s == null) {
            s = new SlotReport();
            perSlot.put(slot, s);
        }
        return s;
    }

    /** The last configuration problem reported, or an empty string. */
    public String lastConfigError() {
        return lastConfigError;
    }

    public synchronized void sourceProblems(List<Problem> problems) {
        activeSourceProblems = report(problems, Map.of(), activeSourceProblems);
    }

    /** @param origins where each key's value came from: a value from the environment is named by its variable */
    public synchronized void configProblems(List<Problem> problems, Map<String, String> origins) {
        activeConfigProblems = report(problems, origins, activeConfigProblems);
    }

    /** Logs each line not already active; returns the new active set. */
    private Set<String> report(List<Problem> problems, Map<String, String> origins, Set<String> active) {
        Set<String> next = new HashSet<>();
        for (Problem p : problems) {
            String origin = origins.get(p.key());
            String line = origin != null && origin.startsWith(ConfigSources.ENVIRONMENT) ? p + " (set by " + origin + ")"
                    : p.toString();
            next.add(line);
            if (p.isError()) {
                lastConfigError = line;
            }
            if (!active.contains(line)) {
                if (p.isError()) {
                    log.error(line);
                } else {
                    log.info(line);
                }
            }
        }
        return next;
    }

    public void banner(ChaosConfig config, Plan plan, String version) {
        log.info("chaos-agent {} started: {}, seed {}{}, poll {}, {} rule{}{}", version,
                armedState(config, "disarmed (set chaos.armed=true to arm)"), config.seed(),
                config.seedConfigured() ? "" : " (random; set chaos.seed to repeat this run)",
                ValueType.showMillis(config.pollMillis()), config.rules().size(), config.rules().size() == 1 ? "" : "s",
                config.configFile() == null ? "" : ", config file " + config.configFile());
        for (RulePlan r : plan.rules()) {
            log.info("  {} ({} methods woven so far)", describeRule(r.config()), record.wovenCount(r.slot()));
        }
    }

    /**
     * Whether faults fire, as the banner and {@code Status} say it: {@code ARMED}, {@code disarmed},
     * or {@code disarmed: fleet member ... does not take part (...)} when this JVM sits the
     * experiment out; an armed member of a fleet also says where it stands.
     *
     * @param disarmed what a disarmed JVM that takes part says
     */
    public static String armedState(ChaosConfig config, String disarmed) {
        if (!config.takesPart()) {
            return "disarmed: " + fleetPlace(config);
        }
        if (!config.armed()) {
            return disarmed;
        }
        return config.fleetMember() == null ? "ARMED" : "ARMED (" + fleetPlace(config) + ")";
    }

    /**
     * Where this JVM stands in the fleet: {@code fleet member 'pod-3' takes part (position 0.183 <
     * chaos.fleet.fraction=0.25)}, or {@code does not take part (position 0.734 >= ...)}.
     */
    private static String fleetPlace(ChaosConfig config) {
        boolean in = config.takesPart();
        return "fleet member '" + config.fleetMember() + "' " + (in ? "takes part" : "does not take part") + " (position "
                + Fleet.show(config.fleetPosition()) + (in ? " < " : " >= ") + ConfigKeys.FLEET_FRACTION.name() + "="
                + ConfigKeys.FLEET_FRACTION.show(config.fleetFraction()) + ")";
    }

    /** The agent disarms itself (time limit, lease, stop condition): say why, before the change line. */
    public void disarmsItself(String why) {
        log.warn("{}: chaos-agent disarms itself", why);
    }

    /** A renewal is not a change of settings: said at debug, so a renewal every few seconds does not flood the log. */
    public void leaseRenewed(String origin, long expires) {
        log.debug("lease renewed ({}){}", origin, expires < 0 ? "" : ": it lapses at " + Instant.ofEpochMilli(expires));
    }

    /** A stop condition whose attribute cannot be read: said once while it stays so. */
    public void stopUnreadable(String name, StopCondition condition, String why) {
        log.warn("chaos.stop.{}={} cannot be read: {}; it does not disarm the agent", name, condition, why);
    }

    /**
     * What one change did: settings, rules added, changed and removed, and the retransformation.
     * Each line of a setting changed ends with where the change came from.
     */
    public void changes(ChaosConfig a, ChaosConfig b, Plan before, Plan after, Weaving.Retransformation done, String origin) {
        String by = " (" + origin + ")";
        if (a.armed() != b.armed()) {
            log.info("{}{}", b.armed() ? "chaos ARMED: rules now fire" : "chaos disarmed: no new fault starts", by);
        }
        if (a.takesPart() != b.takesPart() || (b.fleetMember() != null && a.fleetFraction() != b.fleetFraction())) {
            log.info("{}{}{}", fleetPlace(b), b.takesPart() ? b.armed() ? ": rules now fire" : ""
                    : b.armed() ? ": behaves as disarmed" : "", by);
        }
        if (a.pollMillis() != b.pollMillis()) {
            log.info("poll {} -> {}{}", ValueType.showMillis(a.pollMillis()), ValueType.showMillis(b.pollMillis()), by);
        }
        if (a.summaryMillis() != b.summaryMillis()) {
            log.info("summary {} -> {}{}", ValueType.showMillis(a.summaryMillis()), ValueType.showMillis(b.summaryMillis()), by);
        }
        if (a.logLevel() != b.logLevel()) {
            log.info("log level {} -> {}{}", a.logLevel().text(), b.logLevel().text(), by);
        }
        if (a.configFile() == null ? b.configFile() != null : !a.configFile().equals(b.configFile())) {
            log.info("config file {} -> {}{}", a.configFile() == null ? "(none)" : a.configFile(),
                    b.configFile() == null ? "(none)" : b.configFile(), by);
        }
        if (a.durationMillis() != b.durationMillis()) {
            log.info("duration {} -> {}{}", limit(a.durationMillis()), limit(b.durationMillis()), by);
        }
        if (a.leaseMillis() != b.leaseMillis()) {
            log.info("lease {} -> {}{}", limit(a.leaseMillis()), limit(b.leaseMillis()), by);
        }
        if (a.maxInjections() != b.maxInjections()) {
            log.info("max-injections {} -> {}{}", count(a.maxInjections()), count(b.maxInjections()), by);
        }
        if (a.dryRun() != b.dryRun()) {
            log.info("{}{}", b.dryRun() ? "dry run: decisions are counted, nothing is injected" : "dry run over: faults are injected",
                    by);
        }
        for (Map.Entry<String, StopCondition> e : b.stops().entrySet()) {
            StopCondition old = a.stops().get(e.getKey());
            if (!e.getValue().equals(old)) {
                log.info("stop condition '{}' {}{}{}", e.getKey(), old == null ? "added: " : old + " -> ", e.getValue(), by);
            }
        }
        for (String name : a.stops().keySet()) {
            if (!b.stops().containsKey(name)) {
                log.info("stop condition '{}' removed{}", name, by);
            }
        }
        for (RulePlan r : after.rules()) {
            RulePlan old = before.rule(r.name());
            if (old == null) {
                log.info("rule '{}' added: {}; {} method{} woven{}", r.name(), describeFault(r.config()),
                        record.wovenCount(r.slot()), record.wovenCount(r.slot()) == 1 ? "" : "s", by);
            } else if (old.config() != r.config()) {
                ruleChanges(old.config(), r.config(), old.generation() != r.generation() ? record.wovenCount(r.slot()) : -1, by);
            }
        }
        for (RulePlan r : before.rules()) {
            if (after.rule(r.name()) == null) {
                log.info("rule '{}' removed: the methods it wove have their own code back{}", r.name(), by);
                synchronized (this) {
                    perSlot.remove(r.slot());
                }
            }
        }
        if (done.classes() > 0) {
            log.info("retransformed {} loaded class{} in {} ms", done.classes(), done.classes() == 1 ? "" : "es",
                    done.nanos() / 1_000_000);
        }
        for (String failure : done.failures()) {
            log.error(failure);
        }
    }

    /**
     * Debug: what a change of what is woven cost the thread that applied it, in all and outside
     * the JVM's own retransformation (the weaver's part of that counted as the applier's).
     */
    public void applied(Weaving.Retransformation done, long nanos) {
        if (log.isDebugEnabled()) {
            long outside = nanos - done.jvmNanos() + done.weavingNanos();
            log.debug("rule change applied in {} us on thread '{}': {} us outside the JVM's retransformation of {} class{}"
                            + " ({} us in it, {} us of that weaving)", nanos / 1000, Thread.currentThread().getName(), outside / 1000,
                    done.classes(), done.classes() == 1 ? "" : "es", done.jvmNanos() / 1000, done.weavingNanos() / 1000);
        }
    }

    private static String limit(long millis) {
        return millis <= 0 ? "(none)" : ValueType.showMillis(millis);
    }

    private static String count(long n) {
        return n < 0 ? "(none)" : Long.toString(n);
    }

    private void ruleChanges(RuleConfig before, RuleConfig after, int wovenNow, String by) {
        String rule = "rule '" + before.name() + "' ";
        if (!before.targetText().equals(after.targetText())) {
            log.info("{}target {} -> {}{}", rule, before.targetText(), after.targetText(), by);
        }
        if (before.fault() != after.fault()) {
            log.info("{}fault {} -> {}{}", rule, before.fault().text(), after.fault().text(), by);
        }
        if (!String.valueOf(before.exception()).equals(String.valueOf(after.exception()))) {
            log.info("{}exception {} -> {}{}", rule, before.exception() == null ? "(none)" : before.exception(),
                    after.exception() == null ? "(none)" : after.exception(), by);
        }
        if (before.probability() != after.probability()) {
            log.info("{}probability {} -> {}{}", rule, before.probability(), after.probability(), by);
        }
        if (before.enabled() != after.enabled()) {
            log.info("{}{}{}", rule, after.enabled() ? "enabled" : "disabled", by);
        }
        String latencyBefore = before.latency() == null ? "(none)" : before.latency().text();
        String latencyAfter = after.latency() == null ? "(none)" : after.latency().text();
        if (!latencyBefore.equals(latencyAfter)) {
            log.info("{}latency {} -> {}{}", rule, latencyBefore, latencyAfter, by);
        }
        if (!before.effectiveMessage().equals(after.effectiveMessage())) {
            log.info("{}message '{}' -> '{}'{}", rule, before.effectiveMessage(), after.effectiveMessage(), by);
        }
        if (before.maxInjections() != after.maxInjections()) {
            log.info("{}max-injections {} -> {}{}", rule, count(before.maxInjections()), count(after.maxInjections()), by);
        }
        if (before.maxConcurrent() != after.maxConcurrent()) {
            log.info("{}max-concurrent {} -> {}{}", rule, count(before.maxConcurrent()), count(after.maxConcurrent()), by);
        }
        String excludeBefore = String.valueOf(before.keys().get(ConfigKeys.EXCLUDE.name()));
        String excludeAfter = String.valueOf(after.keys().get(ConfigKeys.EXCLUDE.name()));
        if (!excludeBefore.equals(excludeAfter)) {
            log.info("{}exclude {} -> {}{}", rule, excludeBefore.equals("null") ? "(none)" : excludeBefore,
                    excludeAfter.equals("null") ? "(none)" : excludeAfter, by);
        }
        String threadsBefore = before.threads() == null ? "(every thread)" : String.join(";", before.threads());
        String threadsAfter = after.threads() == null ? "(every thread)" : String.join(";", after.threads());
        if (!threadsBefore.equals(threadsAfter)) {
            log.info("{}threads {} -> {}{}", rule, threadsBefore, threadsAfter, by);
        }
        String returnBefore = before.returnValue() == null ? "(none)" : before.returnValue();
        String returnAfter = after.returnValue() == null ? "(none)" : after.returnValue();
        if (!returnBefore.equals(returnAfter)) {
            log.info("{}return {} -> {}{}", rule, returnBefore, returnAfter, by);
        }
        if (before.maxRate() != after.maxRate()) {
            log.info("{}max-rate {} -> {}{}", rule, count(before.maxRate()), count(after.maxRate()), by);
        }
        if (wovenNow >= 0) {
            log.info("{}re-woven: {} method{} woven", rule, wovenNow, wovenNow == 1 ? "" : "s");
        }
    }

    // ---- what the weaver did ----

    @Override
    public void classWoven(String classKey, List<RulePlan> rules, List<List<String>> methods) {
        for (int i = 0; i < rules.size(); i++) {
            List<String> woven = methods.get(i);
            if (woven.isEmpty()) {
                continue;
            }
            RulePlan rule = rules.get(i);
            long classes;
            synchronized (this) {
                if (!reportedWoven.add(rule.generation() + " " + classKey)) {
                    continue;
                }
                classes = ++slot(rule.slot()).classesLogged;
            }
            int total = record.wovenCount(rule.slot());
            if (classes <= CLASSES_LOGGED) {
                log.info("rule '{}' wove {} ({} method{} so far)", rule.name(), summarise(woven), total, total == 1 ? "" : "s");
                if (classes == CLASSES_LOGGED) {
                    log.info("rule '{}' has woven {} classes; more are logged at debug level, and counted in the"
                            + " summary and the rule's MXBean", rule.name(), CLASSES_LOGGED);
                }
            } else if (log.isDebugEnabled()) {
                log.debug("rule '{}' wove {} ({} methods so far)", rule.name(), summarise(woven), total);
            }
        }
    }

    @Override
    public void skipped(RulePlan rule, String line) {
        boolean first;
        synchronized (this) {
            first = reportedSkips.add(rule.generation() + " " + line);
        }
        if (first) {
            log.warn(line);
        }
    }

    @Override
    public void weaveCache(String line, boolean warning) {
        if (warning) {
            log.warn(line);
        } else {
            log.debug(line);
        }
    }

    @Override
    public void failed(String className, String reason) {
        boolean first;
        synchronized (this) {
            first = reportedWeaveFailures.add(className + " " + reason);
        }
        if (first) {
            log.error("cannot weave {}: {}; the class is left as it was (said once per class)", className, reason);
        }
    }

    private static String summarise(List<String> methods) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(methods.size(), 5);
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append(methods.get(i));
        }
        if (methods.size() > shown) {
            b.append(" and ").append(methods.size() - shown).append(" more");
        }
        return b.toString();
    }

    // ---- what the rules did: once per poll ----

    /** Logs what happened since the last poll: first injections, failures, periodic-task hits, and a summary when due. */
    public synchronized void tick(Plan plan, long summaryMillis) {
        if (!gate.ready()) {
            return;
        }
        logFirstInjections(plan, summaryMillis);
        logSiteFailures();
        warnAboutPeriodicTasks(plan);
        if (summaryMillis > 0 && System.nanoTime() - lastSummaryNanos >= summaryMillis * 1_000_000L) {
            lastSummaryNanos = System.nanoTime();
            logSummary(plan);
        }
    }

    /** After the first poll: rules that have woven nothing are probably mistyped. */
    public void rulesMatchingNothing(Plan plan) {
        for (RulePlan r : plan.rules()) {
            if (record.wovenCount(r.slot()) == 0) {
                log.warn("rule '{}' matches no method loaded so far (target {}); classes that load later are still woven",
                        r.name(), r.config().targetText());
            }
        }
    }

    private void logFirstInjections(Plan plan, long summaryMillis) {
        for (RulePlan r : plan.rules()) {
            SlotReport s = slot(r.slot());
            logFirst(r.stats(), s, false, summaryMillis);
            logFirst(r.stats(), s, true, summaryMillis);
        }
    }

    /** Logs the recorded first injections (or dry-run decisions) not logged yet. */
    private void logFirst(RuleStats stats, SlotReport s, boolean dryRun, long summaryMillis) {
        int at = dryRun ? 1 : 0;
        while (s.firstLogged[at] < RuleStats.FIRST_RECORDED) {
            String line = stats.firstInjection(s.firstLogged[at], dryRun);
            if (line == null) {
                return;
            }
            s.firstLogged[at]++;
            log.info("{}{}", line, s.firstLogged[at] == RuleStats.FIRST_RECORDED
                    ? " (the first " + RuleStats.FIRST_RECORDED + (dryRun ? " dry-run decisions" : " injections")
                    + " of a rule are logged; then a summary every " + ValueType.showMillis(summaryMillis) + ")" : "");
        }
    }

    private void warnAboutPeriodicTasks(Plan plan) {
        for (RulePlan r : plan.rules()) {
            String method = r.stats().periodicTaskHit();
            if (method != null && periodicWarned.add(r.slot() + " " + r.name())) {
                log.warn("rule '{}' threw inside a periodic scheduled task ({}): the JDK cancels such a task for good and says"
                        + " nothing, so it will not run again in this JVM", r.name(), method);
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

    private void logSummary(Plan plan) {
        long[] calls = RuleCounts.callsBySlot(plan.nextSlot());
        for (RulePlan r : plan.rules()) {
            SlotReport s = slot(r.slot());
            long c = calls[r.slot()];
            long injections = r.stats().injections();
            if (c == s.callsAtSummary && injections == s.injectionsAtSummary) {
                continue;
            }
            s.callsAtSummary = c;
            s.injectionsAtSummary = injections;
            log.info("summary: rule '{}' {} calls, {} injections ({} observed, {} configured), {} interrupted delays,"
                    + " methods woven: {}", r.name(), c, injections, percent(c == 0 ? 0 : (double) injections / c),
                    percent(r.config().probability()), r.stats().interruptedDelays(), record.wovenCount(r.slot()));
        }
    }

    public synchronized void countersReset(String origin) {
        for (SlotReport s : perSlot.values()) {
            s.callsAtSummary = 0;
            s.injectionsAtSummary = 0;
        }
        log.info("counters reset ({})", origin);
    }

    /** At exit: the first injections the last poll did not log, and a line per rule (a short run may end before any poll). */
    public synchronized void finalReport(Plan plan, long summaryMillis) {
        if (!gate.ready()) {
            return;
        }
        logFirstInjections(plan, summaryMillis);
        logSiteFailures();
        warnAboutPeriodicTasks(plan);
        int woven = 0;
        for (RulePlan r : plan.rules()) {
            woven += record.wovenCount(r.slot());
        }
        if (woven == 0) {
            return; // nothing is woven, so nothing can have happened
        }
        long[] calls = RuleCounts.callsBySlot(plan.nextSlot());
        int width = 4;
        for (RulePlan r : plan.rules()) {
            width = Math.max(width, r.name().length());
        }
        log.info("final: {}", row(width, "rule", "calls", "injections", "observed", "configured"));
        for (RulePlan r : plan.rules()) {
            long c = calls[r.slot()];
            long injections = r.stats().injections();
            log.info("final: {}", row(width, r.name(), Long.toString(c), Long.toString(injections),
                    c == 0 ? "-" : percent((double) injections / c), percent(r.config().probability())));
        }
        for (RulePlan r : plan.rules()) {
            RuleStats st = r.stats();
            if (st.wouldInject() > 0) {
                log.info("final: rule '{}' would have injected {} (dry-run)", r.name(), st.wouldInject());
            }
            if (st.capped() > 0 || st.rateLimited() > 0) { // only what happened: a cap that never bit says nothing
                log.info("final: rule '{}' left {}{}{} unharmed", r.name(),
                        st.capped() > 0 ? st.capped() + " calls at its concurrency cap" : "",
                        st.capped() > 0 && st.rateLimited() > 0 ? " and " : "",
                        st.rateLimited() > 0 ? st.rateLimited() + " calls at its rate limit" : "");
            }
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

    /** {@code 12.34%}, without java.util.Formatter. */
    static String percent(double p) {
        long hundredths = Math.round(p * 10_000);
        long fraction = hundredths % 100;
        return hundredths / 100 + "." + (fraction < 10 ? "0" : "") + fraction + "%";
    }

    /** {@code rule 'db': exception java.sql.SQLException p=0.05 on com.acme.Repo#find*}. */
    public static String describeRule(RuleConfig r) {
        return "rule '" + r.name() + "': " + describeFault(r);
    }

    /** {@code exception java.sql.SQLException p=0.05 on com.acme.Repo#find*}. */
    static String describeFault(RuleConfig r) {
        StringBuilder b = new StringBuilder(r.fault().text());
        if (r.exception() != null) {
            b.append(' ').append(r.exception());
        }
        if (r.latency() != null) {
            b.append(' ').append(r.latency().text());
        }
        if (r.returnValue() != null) {
            b.append(' ').append(r.returnValue());
        }
        b.append(" p=").append(r.probability());
        if (r.threads() != null) {
            b.append(" on threads ").append(String.join(";", r.threads()));
        }
        if (!r.enabled()) {
            b.append(" (disabled)");
        }
        b.append(" on ").append(r.targetText());
        if (r.keys().get(ConfigKeys.EXCLUDE.name()) != null) {
            b.append(" except ").append(r.keys().get(ConfigKeys.EXCLUDE.name()));
        }
        return b.toString();
    }
}
