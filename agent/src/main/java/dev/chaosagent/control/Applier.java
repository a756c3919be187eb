package dev.chaosagent.control;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.bootstrap.Site;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKey;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.Problem;
import dev.chaosagent.config.RuleDefinition;
import dev.chaosagent.config.ValueType;
import dev.chaosagent.log.AgentLog;
import dev.chaosagent.plan.Plan;
import dev.chaosagent.plan.PlanCompiler;
import dev.chaosagent.plan.RulePlan;
import dev.chaosagent.plan.WeaveRecord;
import dev.chaosagent.plan.Weaving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one path every change takes, whoever asks (the control thread's poll, JMX, the CLI, a
 * second agent load): read the sources, validate, compile the next plan, publish its dispatch
 * table, re-weave what the change touches, and report. Writes from JMX and the CLI are
 * validated first and go through to system properties, so every view of the configuration
 * agrees and the next poll sees the same thing.
 */
public final class Applier {
    private final ConfigSources sources;
    private final Weaving weaving;
    private final WeaveRecord record;
    private final Reporter reporter;
    private final List<RuleSetListener> listeners = new ArrayList<>();

    private volatile ChaosConfig config;
    private volatile Plan plan;
    private Map<String, String> lastValues;
    private Map<String, String> lastOrigins;
    private Map<String, String> lastFileValues;
    /** Values written over JMX (they live on as system properties), to tell their source apart. */
    private final Map<String, String> jmxValues = new HashMap<>();
    /** Values the agent wrote itself (the disarm at the end of chaos.duration), with why. */
    private final Map<String, String[]> ownValues = new HashMap<>();
    /** When the agent last went from disarmed to armed (System.currentTimeMillis), or -1 while disarmed. */
    private volatile long armedSince = -1;

    /** @param snapshot the sources as read at start-up, which {@code config} and {@code plan} were made from */
    public Applier(ConfigSources sources, ConfigSources.Snapshot snapshot, ChaosConfig config, Plan plan, Weaving weaving,
                   WeaveRecord record, Reporter reporter) {
        this.sources = sources;
        this.config = config;
        this.plan = plan;
        this.weaving = weaving;
        this.record = record;
        this.reporter = reporter;
        this.lastValues = snapshot.values();
        this.lastOrigins = snapshot.origins();
        this.lastFileValues = snapshot.fileValues();
        this.armedSince = config.armed() ? System.currentTimeMillis() : -1;
    }

    /** When chaos.duration disarms the agent (epoch millis), or -1 when it is not armed or not limited. */
    public long armedUntil() {
        long since = armedSince;
        long duration = config.durationMillis();
        return since < 0 || duration <= 0 ? -1 : since + duration;
    }

    /**
     * Disarms the agent when its time is up. The disarm is written as the system property
     * chaos.armed=false, which beats the config file, so the next poll does not arm it again.
     */
    public synchronized void checkTimers() {
        long until = armedUntil();
        if (until >= 0 && System.currentTimeMillis() >= until) {
            String key = ConfigKeys.ARMED.name();
            reporter.timeIsUp("chaos.duration of " + ValueType.showMillis(config.durationMillis()) + " is over");
            System.setProperty(key, "false");
            jmxValues.remove(key);
            ownValues.put(key, new String[] {"false", "duration"});
            poll();
        }
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

    /** Adds a listener and tells it about the rules already defined. */
    public synchronized void addListener(RuleSetListener listener) {
        listeners.add(listener);
        List<String> names = new ArrayList<>(plan.byName().keySet());
        listener.rulesChanged(names, new ArrayList<String>());
    }

    /** Re-reads every source and applies what changed. */
    public synchronized void poll() {
        ConfigSources.Snapshot snapshot = sources.read();
        reporter.sourceProblems(snapshot.problems());
        lastOrigins = snapshot.origins();
        lastFileValues = snapshot.fileValues();
        if (!lastValues.equals(snapshot.values())) {
            lastValues = snapshot.values();
            apply(ConfigParser.parse(snapshot.values(), config, config.seed()));
        }
    }

    private void apply(ConfigParser.Outcome outcome) {
        reporter.configProblems(outcome.problems());
        ChaosConfig previous = config;
        Plan previousPlan = plan;
        ChaosConfig current = outcome.config();
        Plan next = PlanCompiler.compile(current, previousPlan);
        AgentLog.start(current.logLevel());
        config = current;
        plan = next;
        if (current.armed() != previous.armed()) {
            armedSince = current.armed() ? System.currentTimeMillis() : -1; // each arming starts a new window
        }
        Dispatcher.publish(next.table()); // from here no retired weaving fires and settings are new
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
        reporter.changes(previous, current, previousPlan, next, done);
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
     * @throws IllegalArgumentException with the same one-line message a bad system property gets
     */
    public synchronized void setProperty(String key, String value) {
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
        System.setProperty(key, value);
        jmxValues.put(key, value);
        poll();
    }

    /** Removes a system property, with the same validation; a live rule's required key cannot go (removeRule removes the rule). */
    public synchronized void clearProperty(String key) {
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
        jmxValues.remove(key);
        poll();
    }

    /**
     * Defines or replaces rule {@code name} at once from its written form (see {@link RuleDefinition}):
     * the whole rule is validated, and on success its keys become exactly the ones given.
     */
    public synchronized void defineRule(String name, String definition) {
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
        writeRule(prefix, keys);
        poll();
    }

    /** Removes rule {@code name} from every source: its MXBean goes, and its methods get their code back. */
    public synchronized void removeRule(String name) {
        String prefix = ConfigKeys.ruleKey(name, "");
        boolean any = false;
        for (String key : lastValues.keySet()) {
            any |= key.startsWith(prefix);
        }
        if (!any) {
            throw new IllegalArgumentException("no rule '" + name + "' is defined (rules: " + String.join(", ", plan.byName().keySet())
                    + "); nothing changes");
        }
        writeRule(prefix, new TreeMap<String, String>());
        poll();
    }

    /**
     * Makes the rule's keys exactly {@code keys}: sets those, clears its other system properties,
     * and hides its other keys in the config file behind empty system properties (an empty value
     * counts as unset).
     */
    private void writeRule(String prefix, Map<String, String> keys) {
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
            jmxValues.put(key, e.getValue());
        }
        for (String key : stale) {
            jmxValues.remove(key);
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

    /** Every key in force with its value and where it came from: jmx, system property, file or agent argument. */
    public synchronized List<String> configSources() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : lastValues.entrySet()) {
            String origin = lastOrigins.get(e.getKey());
            String[] own = ownValues.get(e.getKey());
            if (ConfigSources.SYSTEM_PROPERTY.equals(origin) && e.getValue().equals(jmxValues.get(e.getKey()))) {
                origin = "jmx";
            } else if (ConfigSources.SYSTEM_PROPERTY.equals(origin) && own != null && own[0].equals(e.getValue())) {
                origin = own[1];
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
        for (RulePlan r : plan.rules()) {
            r.stats().reset();
        }
        Dispatcher.resetTotals();
        reporter.countersReset();
    }
}
