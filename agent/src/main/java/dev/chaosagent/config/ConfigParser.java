package dev.chaosagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns raw {@code chaos.*} key/value pairs into a valid {@link ChaosConfig}, reporting every
 * problem at once as a {@link Problem}. One path for start-up and run time; {@code previous}
 * (null at start-up) only decides what a bad value falls back to:
 *
 * <ul>
 * <li>a bad global value: its default at start-up, the value in force at run time; a key that is
 *     not dynamic keeps its start-up value and the change is reported;</li>
 * <li>a rule with a bad key is left out at start-up; at run time it keeps its whole previous
 *     definition (a rule is changed all at once or not at all);</li>
 * <li>a rule without all of target, fault and probability is incomplete: reported as waiting for
 *     the missing keys, not as an error, and active once complete;</li>
 * <li>a rule whose keys are gone from every source is removed.</li>
 * </ul>
 *
 * <p>Written without lambdas or records' generated methods: it runs in {@code premain}, before
 * the application's {@code main}, where each first use of those costs milliseconds.
 */
public final class ConfigParser {

    /** The result of one parse: the configuration to apply and every problem and notice, in key order. */
    public record Outcome(ChaosConfig config, List<Problem> problems) {
        /** The problems that are errors (rejected values). */
        public List<Problem> errors() {
            List<Problem> out = new ArrayList<>();
            for (Problem p : problems) {
                if (p.isError()) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private final Map<String, String> raw;
    private final ChaosConfig previous;
    private final List<Problem> problems = new ArrayList<>();

    private ConfigParser(Map<String, String> raw, ChaosConfig previous) {
        this.raw = raw;
        this.previous = previous;
    }

    /**
     * @param raw        every {@code chaos.*} key in force (file values overlaid by system properties)
     * @param previous   the configuration in force, or null at start-up
     * @param freshSeed  the seed to use when {@code chaos.seed} is not set at start-up
     */
    public static Outcome parse(Map<String, String> raw, ChaosConfig previous, long freshSeed) {
        return new ConfigParser(raw, previous).run(freshSeed);
    }

    private Outcome run(long freshSeed) {
        Map<String, Map<String, String>> ruleKeys = new TreeMap<>();
        Map<String, String> stopKeys = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            classify(e.getKey(), e.getValue().trim(), ruleKeys, stopKeys);
        }
        boolean start = previous == null;
        boolean armed = global(ConfigKeys.ARMED, start, start ? null : previous.armed());
        long poll = global(ConfigKeys.POLL, start, start ? null : previous.pollMillis());
        LogLevel level = global(ConfigKeys.LOG_LEVEL, start, start ? null : previous.logLevel());
        long summary = global(ConfigKeys.SUMMARY, start, start ? null : previous.summaryMillis());
        String configFile = text(ConfigKeys.CONFIG.name());
        Long duration = global(ConfigKeys.DURATION, start, start || previous.durationMillis() == 0 ? null : previous.durationMillis());
        Long maxInjections = global(ConfigKeys.MAX_INJECTIONS, start,
                start || previous.maxInjections() < 0 ? null : previous.maxInjections());
        boolean dryRun = global(ConfigKeys.DRY_RUN, start, start ? null : previous.dryRun());
        Long lease = global(ConfigKeys.LEASE, start, start || previous.leaseMillis() == 0 ? null : previous.leaseMillis());
        List<Requirement> require = require();
        if (armed) {
            String refused = refusal(require);
            if (refused != null) {
                problems.add(Problem.error(ConfigKeys.ARMED.name(), "true", "is refused: " + refused,
                        "the agent stays disarmed"));
                armed = false;
            }
        }

        Long seed = seed();
        long seedValue = seed != null ? seed : start ? freshSeed : previous.seed();
        double fleetFraction = global(ConfigKeys.FLEET_FRACTION, start, start ? null : previous.fleetFraction());
        String fleetMember = text(ConfigKeys.FLEET_MEMBER.name());
        if (fleetMember == null && fleetFraction < 1) {
            fleetMember = Fleet.hostName(); // looked up only when a fraction asks for it
        }
        double fleetPosition = fleetMember == null ? -1
                : Fleet.position(seed != null ? seedValue : Fleet.DEFAULT_SEED, fleetMember);

        String weaveCache = global(ConfigKeys.WEAVE_CACHE, start, start ? null : previous.weaveCache());

        Map<String, RuleConfig> rules = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>(ruleKeys.keySet());
        if (!start) {
            names.addAll(previous.rules().keySet());
        }
        for (String name : names) {
            Map<String, String> keys = ruleKeys.get(name);
            RuleConfig old = start ? null : previous.rules().get(name);
            if (keys == null) {
                continue; // gone from every source: removed
            }
            RuleConfig rule = old != null && old.keys().equals(keys) ? old : rule(name, keys, old);
            if (rule != null) {
                rules.put(name, rule);
            }
        }
        ChaosConfig config = new ChaosConfig(armed, poll, level, seedValue, seed != null, summary, configFile,
                Collections.unmodifiableMap(rules), duration == null ? 0 : duration,
                maxInjections == null ? -1 : maxInjections, dryRun, require,
                start ? text(ConfigKeys.REQUIRE.name()) : previous.requireText(), lease == null ? 0 : lease,
                stops(stopKeys), fleetFraction, fleetMember, fleetPosition, weaveCache);
        return new Outcome(config, Collections.unmodifiableList(problems));
    }

    private String text(String key) {
        String v = raw.get(key);
        return v == null ? null : v.trim();
    }

    private void classify(String key, String value, Map<String, Map<String, String>> ruleKeys, Map<String, String> stopKeys) {
        if (key.startsWith(ConfigKeys.STOP_PREFIX)) {
            String name = key.substring(ConfigKeys.STOP_PREFIX.length());
            if (!ConfigKeys.isRuleName(name)) {
                problems.add(Problem.error(key, value, ": a stop condition's name may use only letters, digits, '-' and '_'",
                        "ignored"));
            } else {
                stopKeys.put(name, value);
            }
        } else if (key.startsWith(ConfigKeys.RULE_PREFIX)) {
            String rest = key.substring(ConfigKeys.RULE_PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                problems.add(Problem.unknownKey(key, value, ": rule keys are written chaos.rule.<name>.<key>"));
                return;
            }
            String name = rest.substring(0, dot);
            String suffix = rest.substring(dot + 1);
            if (!ConfigKeys.isRuleName(name)) {
                problems.add(Problem.error(key, value, ": rule name '" + name + "' may use only letters, digits, '-' and '_'",
                        "ignored"));
            } else if (ConfigKeys.rule(suffix) == null) {
                problems.add(Problem.unknownKey(key, value, ": rule keys are " + ConfigKeys.names(ConfigKeys.RULE)));
            } else {
                Map<String, String> keys = ruleKeys.get(name);
                if (keys == null) {
                    keys = new TreeMap<>();
                    ruleKeys.put(name, keys);
                }
                keys.put(suffix, value);
            }
        } else if (ConfigKeys.global(key) == null) {
            problems.add(Problem.unknownKey(key, value, ": known keys are " + ConfigKeys.names(ConfigKeys.GLOBAL)
                    + ", chaos.rule.<name>.<key> and chaos.stop.<name>"));
        }
    }

    /**
     * The stop conditions, by name. A bad one is left out at start-up; at run time a condition
     * of that name already in force stays (a safety key never fails open).
     */
    private Map<String, StopCondition> stops(Map<String, String> stopKeys) {
        Map<String, StopCondition> stops = new TreeMap<>();
        for (Map.Entry<String, String> e : stopKeys.entrySet()) {
            String key = ConfigKeys.STOP_PREFIX + e.getKey();
            StopCondition old = previous == null ? null : previous.stops().get(e.getKey());
            try {
                stops.put(e.getKey(), ConfigKeys.STOP.parse(e.getValue()));
            } catch (IllegalArgumentException ex) {
                problems.add(Problem.error(key, e.getValue(), ex.getMessage(), old == null ? "ignored" : "keeps " + old));
                if (old != null) {
                    stops.put(e.getKey(), old);
                }
            }
        }
        return Collections.unmodifiableMap(stops);
    }

    /**
     * A global value: parsed, or on a bad value the default at start-up and the value in force at
     * run time ({@code inForce}, null for none).
     */
    private <T> T global(ConfigKey<T> key, boolean start, T inForce) {
        String text = text(key.name());
        T parsed = key.defaultValue();
        if (text != null) {
            try {
                parsed = key.parse(text);
            } catch (IllegalArgumentException ex) {
                String fallback = start ? "using the default " + key.defaultText() : "keeps " + key.show(inForce);
                problems.add(Problem.error(key.name(), text, ex.getMessage(), fallback));
                return start ? key.defaultValue() : inForce;
            }
        }
        if (!start && !key.dynamic() && !parsed.equals(inForce)) {
            problems.add(Problem.notice(key.name(), text == null ? "(unset)" : text, "takes effect after restart",
                    "keeps " + key.show(inForce)));
            return inForce;
        }
        return parsed;
    }

    /**
     * The conditions for arming: read at start-up only (a change is reported and not applied).
     * Malformed, they are null, which refuses every arming: a safety key never fails open.
     */
    private List<Requirement> require() {
        String key = ConfigKeys.REQUIRE.name();
        String text = text(key);
        if (previous != null) {
            String before = previous.requireText();
            if (text == null ? before != null : !text.equals(before)) {
                problems.add(Problem.notice(key, text == null ? "(unset)" : text, "takes effect after restart",
                        "keeps " + (before == null ? "(none)" : before)));
            }
            return previous.require();
        }
        if (text == null) {
            return Collections.emptyList();
        }
        try {
            return ConfigKeys.REQUIRE.parse(text);
        } catch (IllegalArgumentException ex) {
            problems.add(Problem.error(key, text, ex.getMessage(), "the agent will not arm"));
            return null;
        }
    }

    /** Why arming is refused, or null when every condition holds. */
    private static String refusal(List<Requirement> require) {
        if (require == null) {
            return "chaos.require is malformed";
        }
        for (Requirement r : require) {
            String unmet = r.unmet();
            if (unmet != null) {
                return "chaos.require condition " + unmet;
            }
        }
        return null;
    }

    /** The configured seed, or null for a random one. Not dynamic: a change is reported and the seed kept. */
    private Long seed() {
        String text = text(ConfigKeys.SEED.name());
        Long asked = null;
        String keeps = previous == null ? "using a random seed" : "keeps " + previous.seed();
        if (text != null) {
            try {
                asked = ConfigKeys.SEED.parse(text);
            } catch (IllegalArgumentException ex) {
                problems.add(Problem.error(ConfigKeys.SEED.name(), text, ex.getMessage(), keeps));
                return previous == null || !previous.seedConfigured() ? null : previous.seed();
            }
        }
        if (previous == null) {
            return asked;
        }
        Long inForce = previous.seedConfigured() ? previous.seed() : null;
        if (asked == null ? inForce != null : (inForce == null || asked.longValue() != inForce.longValue())) {
            problems.add(Problem.notice(ConfigKeys.SEED.name(), text == null ? "(unset)" : text, "takes effect after restart",
                    keeps));
        }
        return inForce;
    }

    /**
     * A rule from its keys, or null when it cannot be active: incomplete or invalid with no
     * previous version. With a previous version, a bad or incomplete definition keeps that one.
     */
    private RuleConfig rule(String name, Map<String, String> keys, RuleConfig old) {
        String prefix = ConfigKeys.RULE_PREFIX + name;
        StringBuilder missing = new StringBuilder();
        for (ConfigKey<?> k : ConfigKeys.RULE) {
            String v = keys.get(k.name());
            if (k.required() && (v == null || v.isEmpty())) {
                missing.append(missing.length() == 0 ? "" : ", ").append(ConfigKeys.ruleKey(name, k.name()));
            }
        }
        int before = problems.size();
        List<TargetPattern> targets = value(name, keys, ConfigKeys.TARGET, old);
        FaultKind fault = value(name, keys, ConfigKeys.FAULT, old);
        Double probability = value(name, keys, ConfigKeys.PROBABILITY, old);
        Boolean enabled = value(name, keys, ConfigKeys.ENABLED, old);
        String exception = null;
        Latency latency = null;
        String returnValue = null;
        if (fault != null) {
            if (fault.throwsException()) {
                exception = value(name, keys, ConfigKeys.EXCEPTION, old);
            } else if (keys.containsKey(ConfigKeys.EXCEPTION.name())) {
                problems.add(Problem.notice(ConfigKeys.ruleKey(name, ConfigKeys.EXCEPTION.name()),
                        keys.get(ConfigKeys.EXCEPTION.name()), "is ignored: fault '" + fault.text() + "' throws no exception", null));
            }
            if (fault == FaultKind.RETURN) {
                if (keys.get(ConfigKeys.RETURN.name()) == null) {
                    problems.add(Problem.error(ConfigKeys.ruleKey(name, ConfigKeys.RETURN.name()), null, "is missing: fault 'return'"
                            + " needs a value such as null, empty, 0 or \"text\"", consequence(name, null, old)));
                } else {
                    returnValue = value(name, keys, ConfigKeys.RETURN, old);
                }
            } else if (keys.containsKey(ConfigKeys.RETURN.name())) {
                problems.add(Problem.notice(ConfigKeys.ruleKey(name, ConfigKeys.RETURN.name()),
                        keys.get(ConfigKeys.RETURN.name()), "is ignored: fault '" + fault.text() + "' returns nothing", null));
            }
            if (fault.sleeps()) {
                if (keys.get(ConfigKeys.LATENCY.name()) == null) {
                    problems.add(Problem.error(ConfigKeys.ruleKey(name, ConfigKeys.LATENCY.name()), null, "is missing: fault '"
                            + fault.text() + "' needs a delay such as 250ms or 100ms..2s", consequence(name, null, old)));
                } else {
                    latency = value(name, keys, ConfigKeys.LATENCY, old);
                }
            } else if (keys.containsKey(ConfigKeys.LATENCY.name())) {
                problems.add(Problem.notice(ConfigKeys.ruleKey(name, ConfigKeys.LATENCY.name()),
                        keys.get(ConfigKeys.LATENCY.name()), "is ignored: fault '" + fault.text() + "' does not sleep", null));
            }
        }
        Long maxInjections = value(name, keys, ConfigKeys.RULE_MAX_INJECTIONS, old);
        Long maxConcurrent = value(name, keys, ConfigKeys.MAX_CONCURRENT, old);
        Long maxRate = value(name, keys, ConfigKeys.MAX_RATE, old);
        List<String> threads = value(name, keys, ConfigKeys.THREADS, old);
        List<TargetPattern> excludes = value(name, keys, ConfigKeys.EXCLUDE, old);
        Long seed = value(name, keys, ConfigKeys.RULE_SEED, old);
        java.util.SortedMap<Integer, List<String>> args = new TreeMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            int index = ConfigKeys.argIndex(e.getKey());
            List<String> globs = index < 0 ? null : value(name, e.getKey(), e.getValue(), ConfigKeys.ARG, old);
            if (globs != null) {
                args.put(index, globs);
            }
        }
        boolean bad = false;
        for (int i = before; i < problems.size(); i++) {
            bad |= problems.get(i).isError();
        }
        if (missing.length() > 0) {
            problems.add(Problem.notice(prefix, null, "is incomplete: waiting for " + missing
                    + " (every rule needs target, fault and probability)", old == null
                    ? "it becomes active once they are set" : "rule '" + name + "' keeps its last complete definition"));
            return old;
        }
        if (bad) {
            return old;
        }
        return new RuleConfig(name, Collections.unmodifiableMap(new TreeMap<>(keys)), keys.get(ConfigKeys.TARGET.name()),
                targets, fault, probability, exception, keys.get(ConfigKeys.MESSAGE.name()), latency, enabled,
                maxInjections == null ? -1 : maxInjections, maxConcurrent == null ? -1 : maxConcurrent,
                maxRate == null ? -1 : maxRate, threads, returnValue, Collections.unmodifiableSortedMap(args), excludes, seed);
    }

    /** One rule key's value: parsed, its default when unset, or null (with a problem) when bad. */
    private <T> T value(String name, Map<String, String> keys, ConfigKey<T> key, RuleConfig old) {
        return value(name, key.name(), keys.get(key.name()), key, old);
    }

    /** The value of the rule key written {@code suffix} (a family's member, such as {@code arg.0}, or the key's own name). */
    private <T> T value(String name, String suffix, String text, ConfigKey<T> key, RuleConfig old) {
        if (text == null || text.isEmpty()) {
            return key.required() ? null : key.defaultValue();
        }
        try {
            return key.parse(text);
        } catch (IllegalArgumentException ex) {
            problems.add(Problem.error(ConfigKeys.ruleKey(name, suffix), text, ex.getMessage(), consequence(name, suffix, old)));
            return null;
        }
    }

    /** What a bad rule key leads to: the rule is left out, or keeps what it had. */
    private static String consequence(String name, String suffix, RuleConfig old) {
        if (old == null) {
            return "rule '" + name + "' is left out";
        }
        String had = suffix == null ? null : old.keys().get(suffix);
        return "rule '" + name + "' keeps " + (had != null ? had : "its previous definition");
    }
}
