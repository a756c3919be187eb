package dev.chaosagent.control;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKey;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.Problem;
import dev.chaosagent.config.RuleDefinition;
import dev.chaosagent.config.ValueType;
import dev.chaosagent.log.AgentLog;
import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Plan;
import dev.chaosagent.plan.PlanCompiler;
import dev.chaosagent.plan.RulePlan;
import dev.chaosagent.plan.WeaveRecord;
import dev.chaosagent.plan.Weaving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one path every change takes, whoever asks (the control thread's poll, JMX, the CLI, a
 * second agent load): read the sources, validate, compile the next plan, publish its dispatch
 * table, re-weave what the change touches, and report. Writes from JMX and the CLI are
 * validated first and go through to system properties, so every view of the configuration
 * agrees and the next poll sees the same thing.
 *
 * <p>Every change is applied with its origin, which the change lines name: {@code jmx} (with the
 * JMX principal, if any), {@code cli}, {@code system property}, {@code file <path>}, or the agent
 * itself: {@code duration}, {@code lease}, {@code stop <name>}. The time limit, the lease and the
 * stop conditions disarm by writing the system property {@code chaos.armed=false}, which beats
 * the config file, so the next poll does not arm the agent again.
 */
public final class Applier {
    private final ConfigSources sources;
    private final Weaving weaving;
    private final DispatcherGate gate;
    private final WeaveRecord record;
    private final Reporter reporter;
    private final List<RuleSetListener> listeners = new ArrayList<>();

    private volatile ChaosConfig config;
    private volatile Plan plan;
    private Map<String, String> lastValues;
    /** When the write being applied began (a JMX or CLI request), or 0 for a poll; guarded by this. */
    private long changeStarted;
    private Map<String, String> lastOrigins;
    private Map<String, String> lastFileValues;
    /**
     * System properties written on someone's behalf (JMX, the CLI, the agent itself): key to
     * {value, origin}. A property still holding that value came from that origin.
     */
    private final Map<String, String[]> written = new HashMap<>();
    private final StopConditions stopConditions;
    /** When the agent last went from disarmed to armed (System.currentTimeMillis), or -1 while disarmed. */
    private volatile long armedSince = -1;
    /** When the lease was last renewed: by an arm, renewLease, or a new chaos.lease. */
    private volatile long leaseRenewedAt;
    /** When the lease last lapsed, as an ISO time, or empty. */
    private volatile String leaseLapsed = "";
    /** The last stop condition that disarmed the agent: time, name, condition, value seen; or empty. */
    private volatile String lastStop = "";

    /** @param snapshot the sources as read at start-up, which {@code config} and {@code plan} were made from */
    public Applier(ConfigSources sources, ConfigSources.Snapshot snapshot, ChaosConfig config, Plan plan, Weaving weaving,
                   DispatcherGate gate, WeaveRecord record, Reporter reporter) {
        this.sources = sources;
        this.config = config;
        this.plan = plan;
        this.weaving = weaving;
        this.gate = gate;
        this.record = record;
        this.reporter = reporter;
        this.lastValues = snapshot.values();
        this.lastOrigins = snapshot.origins();
        this.lastFileValues = snapshot.fileValues();
        this.armedSince = config.armed() ? System.currentTimeMillis() : -1;
        this.leaseRenewedAt = System.currentTimeMillis();
        this.stopConditions = new StopConditions(reporter);
    }

    /** When chaos.duration disarms the agent (epoch millis), or -1 when it is not armed or not limited. */
    public long armedUntil() {
        long since = armedSince;
        long duration = config.durationMillis();
        return since < 0 || duration <= 0 ? -1 : since + duration;
    }

    /** When the lease lapses unless renewed (epoch millis), or -1 when not armed or no lease is set. */
    public long leaseExpires() {
        long lease = config.leaseMillis();
        return !config.armed() || lease <= 0 ? -1 : leaseRenewedAt + lease;
    }

    /** When the lease last lapsed (ISO time), or an empty string. */
    public String leaseLapsed() {
        return leaseLapsed;
    }

    /** The stop condition that last disarmed the agent, with the value seen and when; or an empty string. */
    public String lastStop() {
        return lastStop;
    }

    /** The next moment a timer may disarm the agent (epoch millis), or -1: the control thread wakes for it. */
    public long nextDeadline() {
        long until = armedUntil();
        long expires = leaseExpires();
        return until < 0 ? expires : expires < 0 ? until : Math.min(until, expires);
    }

    /** Renews the lease: the agent stays armed for another chaos.lease from now. */
    public synchronized void renewLease(String origin) {
        leaseRenewedAt = System.currentTimeMillis();
        reporter.leaseRenewed(origin, leaseExpires());
    }

    /** Disarms the agent when chaos.duration is over or the lease has lapsed. */
    public synchronized void checkTimers() {
        long now = System.currentTimeMillis();
        long until = armedUntil();
        if (until >= 0 && now >= until) {
            disarmItself("chaos.duration of " + ValueType.showMillis(config.durationMillis()) + " is over", "duration");
            return;
        }
        long expires = leaseExpires();
        if (expires >= 0 && now >= expires) {
            leaseLapsed = Instant.ofEpochMilli(expires).toString();
            disarmItself("chaos.lease of " + ValueType.showMillis(config.leaseMillis()) + " lapsed at " + leaseLapsed
                    + " (last renewed at " + Instant.ofEpochMilli(leaseRenewedAt) + ")", "lease");
        }
    }

    /**
     * While armed, reads every stop condition's attribute (outside the lock: an application's
     * MBean may be slow) and disarms the agent when one holds.
     */
    public void checkStops() {
        ChaosConfig c = config;
        if (!c.armed() || c.stops().isEmpty()) {
            return;
        }
        StopConditions.Hit hit = stopConditions.firstHolding(c.stops());
        if (hit == null) {
            return;
        }
        synchronized (this) {
            if (config.armed() && hit.condition().equals(config.stops().get(hit.name()))) {
                String seen = hit.condition() + ", saw " + hit.value();
                lastStop = Instant.now() + " stop '" + hit.name() + "': " + seen;
                disarmItself("stop condition '" + hit.name() + "' holds: " + seen, "stop " + hit.name());
            }
        }
    }

    /** Writes chaos.armed=false as the system property and applies it with the agent's own origin. */
    private void disarmItself(String why, String origin) {
        String key = ConfigKeys.ARMED.name();
        reporter.disarmsItself(why);
        System.setProperty(key, "false");
        written.put(key, new String[] {"false", origin});
        poll(origin);
    }

    public ChaosConfig config() {
        return config;
    }

    public Plan plan() {
        return plan;
    }

    public WeaveRecord record() {
        return record;
    }

    public Reporter reporter() {
        return reporter;
    }

    /** The way to the dispatcher that this applier publishes its plans through. */
    public DispatcherGate gate() {
        return gate;
    }

    /** Adds a listener and tells it about the rules already defined. */
    public synchronized void addListener(RuleSetListener listener) {
        listeners.add(listener);
        List<String> names = new ArrayList<>(plan.byName().keySet());
        listener.rulesChanged(names, new ArrayList<String>());
    }

    /** Re-reads every source and applies what changed, naming where each change came from. */
    public synchronized void poll() {
        poll(null);
    }

    /** @param origin who asked for the change, or null to tell it from the sources */
    private void poll(String origin) {
        long began = changeStarted != 0 ? changeStarted : System.nanoTime();
        changeStarted = 0;
        ConfigSources.Snapshot snapshot = sources.read();
        reporter.sourceProblems(snapshot.problems());
        Map<String, String> valuesBefore = lastValues;
        Map<String, String> originsBefore = lastOrigins;
        lastOrigins = snapshot.origins();
        lastFileValues = snapshot.fileValues();
        if (!valuesBefore.equals(snapshot.values())) {
            lastValues = snapshot.values();
            apply(ConfigParser.parse(snapshot.values(), config, config.seed()),
                    origin != null ? origin : originOfChange(valuesBefore, originsBefore, snapshot), began);
        }
    }

    /** Where the keys that changed came from: each distinct origin once, in key order. */
    private String originOfChange(Map<String, String> before, Map<String, String> originsBefore, ConfigSources.Snapshot now) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.values().keySet());
        Set<String> origins = new LinkedHashSet<>();
        for (String key : keys) {
            String was = before.get(key);
            String is = now.values().get(key);
            if (is == null) {
                origins.add(originsBefore.get(key)); // gone from where it was
            } else if (!is.equals(was)) {
                origins.add(originOf(key, is, now.origins()));
            }
        }
        origins.remove(null);
        return origins.isEmpty() ? ConfigSources.SYSTEM_PROPERTY : String.join(", ", origins);
    }

    /** A value's origin: its source, or who wrote it when it is a system property the agent wrote on someone's behalf. */
    private String originOf(String key, String value, Map<String, String> origins) {
        String origin = origins.get(key);
        String[] by = written.get(key);
        if (ConfigSources.SYSTEM_PROPERTY.equals(origin) && by != null && by[0].equals(value)) {
            return by[1];
        }
        return origin;
    }

    /** @param began when the request that led here began (its validation included), for the applier's timing line */
    private void apply(ConfigParser.Outcome outcome, String origin, long began) {
        reporter.configProblems(outcome.problems(), lastOrigins);
        ChaosConfig previous = config;
        Plan previousPlan = plan;
        ChaosConfig current = outcome.config();
        Plan next = PlanCompiler.compile(current, previousPlan);
        AgentLog.start(current.logLevel());
        config = current;
        plan = next;
        if (current.armed() != previous.armed()) {
            armedSince = current.armed() ? System.currentTimeMillis() : -1; // each arming starts a new window
            leaseRenewedAt = System.currentTimeMillis();
        } else if (current.leaseMillis() != previous.leaseMillis()) {
            leaseRenewedAt = System.currentTimeMillis(); // a new lease counts from now
        }
        gate.publish(next); // from here no retired weaving fires and settings are new
        Weaving.Retransformation done = weaving.apply(next);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (RulePlan r : next.rules()) {
            if (previousPlan.rule(r.name()) == null) {
                added.add(r.name());
            }
        }
        for (RulePlan r : previousPlan.rules()) {
            if (next.rule(r.name()) == null) {
                removed.add(r.name());
                record.forget(r.slot());
            }
        }
        reporter.changes(previous, current, previousPlan, next, done, origin);
        if (next.changesWeaving()) {
            reporter.applied(done, System.nanoTime() - began);
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            for (RuleSetListener l : listeners) {
                l.rulesChanged(added, removed);
            }
        }
    }

    // ---- writes from JMX and the CLI: the same validation as a system property, applied before returning ----

    /**
     * Validates {@code key=value} exactly as the control thread would validate it as a system
     * property; if it is good, writes it through to the system property and applies it.
     *
     * @param origin who asks ({@code jmx}, {@code cli}, ...), for the change line and ConfigSources
     * @throws IllegalArgumentException with the same one-line message a bad system property gets
     */
    public synchronized void setProperty(String key, String value, String origin) {
        changeStarted = System.nanoTime();
        requireOwnKey(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " needs a value; use clearProperty to remove it");
        }
        if (key.equals(ConfigKeys.CONFIG.name())) {
            String why = ConfigSources.unreadable(value.trim());
            if (why != null) {
                throw new IllegalArgumentException(key + "=" + Problem.shown(value) + " " + why + "; keeps "
                        + (config.configFile() == null ? "no config file" : config.configFile()));
            }
        }
        Map<String, String> candidate = new TreeMap<>(lastValues);
        candidate.put(key, value);
        rejectIfBad(key, candidate);
        if (key.equals(ConfigKeys.ARMED.name()) && Boolean.parseBoolean(value.trim())) {
            leaseRenewedAt = System.currentTimeMillis(); // any arm renews the lease
        }
        System.setProperty(key, value);
        written.put(key, new String[] {value, origin});
        poll(origin);
    }

    /** Removes a system property, with the same validation; a live rule's required key cannot go (removeRule removes the rule). */
    public synchronized void clearProperty(String key, String origin) {
        changeStarted = System.nanoTime();
        requireOwnKey(key);
        String rule = ConfigKeys.ruleOf(key);
        ConfigKey<?> ruleKey = rule == null ? null : ConfigKeys.rule(key.substring(ConfigKeys.ruleKey(rule, "").length()));
        if (ruleKey != null && ruleKey.required() && plan.rule(rule) != null) {
            throw new IllegalArgumentException(key + " is required by rule '" + rule + "'; use removeRule to remove the rule;"
                    + " nothing changes");
        }
        Map<String, String> candidate = new TreeMap<>(lastValues);
        candidate.remove(key);
        if (lastFileValues.containsKey(key)) {
            candidate.put(key, lastFileValues.get(key));
        }
        rejectIfBad(key, candidate);
        System.clearProperty(key);
        written.remove(key);
        poll(origin);
    }

    /**
     * Defines or replaces rule {@code name} at once from its written form (see {@link RuleDefinition}):
     * the whole rule is validated, and on success its keys become exactly the ones given.
     */
    public synchronized void defineRule(String name, String definition, String origin) {
        changeStarted = System.nanoTime();
        Map<String, String> keys = RuleDefinition.parse(name, definition);
        String prefix = ConfigKeys.ruleKey(name, "");
        Map<String, String> candidate = withoutRule(prefix);
        for (Map.Entry<String, String> e : keys.entrySet()) {
            candidate.put(prefix + e.getKey(), e.getValue());
        }
        ConfigParser.Outcome outcome = ConfigParser.parse(candidate, config, config.seed());
        for (Problem p : outcome.problems()) {
            if (name.equals(p.rule()) && p.isError()) {
                throw new IllegalArgumentException(p.toString());
            }
            if (name.equals(p.rule()) && p.isAboutWholeRule()) {
                throw new IllegalArgumentException(p.withConsequence("nothing changes").toString());
            }
        }
        writeRule(prefix, keys, origin);
        poll(origin);
    }

    /** Removes rule {@code name} from every source: its MXBean goes, and its methods get their code back. */
    public synchronized void removeRule(String name, String origin) {
        changeStarted = System.nanoTime();
        String prefix = ConfigKeys.ruleKey(name, "");
        boolean any = false;
        for (String key : lastValues.keySet()) {
            any |= key.startsWith(prefix);
        }
        if (!any) {
            throw new IllegalArgumentException("no rule '" + name + "' is defined (rules: " + String.join(", ", plan.byName().keySet())
                    + "); nothing changes");
        }
        writeRule(prefix, new TreeMap<String, String>(), origin);
        poll(origin);
    }

    /**
     * Makes the rule's keys exactly {@code keys}: sets those, clears its other system properties,
     * and hides its other keys in the config file behind empty system properties (an empty value
     * counts as unset).
     */
    private void writeRule(String prefix, Map<String, String> keys, String origin) {
        Set<String> stale = new HashSet<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                stale.add(key);
            }
        }
        for (String key : lastFileValues.keySet()) {
            if (key.startsWith(prefix)) {
                stale.add(key);
            }
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = prefix + e.getKey();
            stale.remove(key);
            System.setProperty(key, e.getValue());
            written.put(key, new String[] {e.getValue(), origin});
        }
        for (String key : stale) {
            written.remove(key);
            if (lastFileValues.containsKey(key)) {
                System.setProperty(key, "");
            } else {
                System.clearProperty(key);
            }
        }
    }

    private Map<String, String> withoutRule(String prefix) {
        Map<String, String> candidate = new TreeMap<>();
        for (Map.Entry<String, String> e : lastValues.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                candidate.put(e.getKey(), e.getValue());
            }
        }
        return candidate;
    }

    private static void requireOwnKey(String key) {
        if (key == null || !key.startsWith(ConfigKeys.PREFIX)) {
            throw new IllegalArgumentException(key + " is not a chaos-agent key: they all start with chaos.");
        }
    }

    /**
     * Rejects the change if it brings an error about this key, or a new error about the rule the
     * key belongs to (the rule must stay valid as a whole).
     */
    private void rejectIfBad(String key, Map<String, String> candidate) {
        String rule = ConfigKeys.ruleOf(key);
        Set<String> existing = new HashSet<>();
        if (rule != null) {
            for (Problem p : ConfigParser.parse(lastValues, config, config.seed()).errors()) {
                existing.add(p.toString());
            }
        }
        ConfigParser.Outcome outcome = ConfigParser.parse(candidate, config, config.seed());
        for (Problem p : outcome.errors()) {
            if (key.equals(p.key()) || (rule != null && rule.equals(p.rule()) && !existing.contains(p.toString()))) {
                throw new IllegalArgumentException(p.toString());
            }
        }
    }

    /** Every key in force with its value and where it came from (the origins the change lines name). */
    public synchronized List<String> configSources() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : lastValues.entrySet()) {
            lines.add(e.getKey() + "=" + e.getValue() + " (" + originOf(e.getKey(), e.getValue(), lastOrigins) + ")");
        }
        return lines;
    }

    /** Zeroes every counter; call indexes restart too, and with them the sequence of decisions. */
    public synchronized void resetCounters(String origin) {
        if (gate.ready()) { // before, nothing is woven: every counter is 0
            Dispatcher.resetCalls();
            for (RulePlan r : plan.rules()) {
                r.stats().reset();
            }
            Dispatcher.resetTotals();
        }
        reporter.countersReset(origin);
    }
}
