package dev.chaosagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns raw {@code chaos.*} key/value pairs into a valid {@link ChaosConfig}, reporting every
 * problem at once, each as one line naming the key, the value, what was expected and what the
 * agent does instead.
 *
 * <p>At start-up ({@code previous == null}) a bad global value falls back to its default and a
 * rule with any bad key is left out. At run time a bad value keeps the value in force, and a
 * change to a key that is only read at start-up is reported and not applied.
 *
 * <p>Written without lambdas or records' generated methods: it runs in {@code premain}, before
 * the application's {@code main}, where each first use of those costs milliseconds.
 */
public final class ConfigParser {

    /** The result of one parse: the configuration to apply, the problems, and informational notices. */
    public record Outcome(ChaosConfig config, List<String> problems, List<String> notices) {
    }

    private final Map<String, String> raw;
    private final ChaosConfig previous;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();

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
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            classify(e.getKey(), e.getValue().trim(), ruleKeys);
        }

        boolean armed = (Boolean) global(ConfigKeys.ARMED, Boolean.FALSE, previous == null ? null : previous.armed());
        long poll = (Long) global(ConfigKeys.POLL, 1000L, previous == null ? null : previous.pollMillis());
        LogLevel level = (LogLevel) global(ConfigKeys.LOG_LEVEL, LogLevel.INFO, previous == null ? null : previous.logLevel());
        long summary = (Long) global(ConfigKeys.SUMMARY, 60_000L, previous == null ? null : previous.summaryMillis());
        String configFile = raw.get(ConfigKeys.CONFIG);
        if (previous != null && !same(configFile, previous.configFile())) {
            notices.add(ConfigKeys.CONFIG + "=" + show(configFile) + " takes effect after restart; keeps "
                    + show(previous.configFile()));
            configFile = previous.configFile();
        }

        long seed;
        boolean seedConfigured;
        if (previous == null) {
            String text = raw.get(ConfigKeys.SEED);
            Long configured = null;
            if (text != null) {
                try {
                    configured = parseSeed(text.trim());
                } catch (IllegalArgumentException ex) {
                    problems.add(ConfigKeys.SEED + "=" + text + " " + ex.getMessage() + "; using a random seed");
                }
            }
            seedConfigured = configured != null;
            seed = seedConfigured ? configured : freshSeed;
        } else {
            seed = previous.seed();
            seedConfigured = previous.seedConfigured();
            String text = raw.get(ConfigKeys.SEED);
            if (text != null || seedConfigured) {
                Long asked = null;
                try {
                    asked = text == null ? null : parseSeed(text.trim());
                } catch (IllegalArgumentException ex) {
                    problems.add(ConfigKeys.SEED + "=" + text + " " + ex.getMessage() + "; keeps " + seed);
                }
                if ((asked == null && text == null) || (asked != null && asked != seed)) {
                    notices.add(ConfigKeys.SEED + "=" + show(text) + " takes effect after restart; keeps " + seed);
                }
            }
        }

        Map<String, RuleConfig> rules = new LinkedHashMap<>();
        if (previous == null) {
            for (Map.Entry<String, Map<String, String>> e : ruleKeys.entrySet()) {
                RuleConfig rule = startupRule(e.getKey(), e.getValue());
                if (rule != null) {
                    rules.put(rule.name(), rule);
                }
            }
        } else {
            for (RuleConfig old : previous.rules().values()) {
                Map<String, String> keys = ruleKeys.get(old.name());
                rules.put(old.name(), runtimeRule(old, keys == null ? Collections.<String, String>emptyMap() : keys));
            }
            for (String name : ruleKeys.keySet()) {
                if (!previous.rules().containsKey(name)) {
                    notices.add("rule '" + name + "' is not active: rules are woven at start-up, so a rule added or fixed"
                            + " while the JVM runs takes effect after restart");
                }
            }
        }
        ChaosConfig config = new ChaosConfig(armed, poll, level, seed, seedConfigured, summary, configFile,
                Collections.unmodifiableMap(rules));
        return new Outcome(config, Collections.unmodifiableList(problems), Collections.unmodifiableList(notices));
    }

    private void classify(String key, String value, Map<String, Map<String, String>> ruleKeys) {
        if (key.startsWith(ConfigKeys.RULE_PREFIX)) {
            String rest = key.substring(ConfigKeys.RULE_PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                problems.add("unknown key " + key + "=" + value + ": rule keys are written chaos.rule.<name>.<key>; ignored");
                return;
            }
            String name = rest.substring(0, dot);
            String suffix = rest.substring(dot + 1);
            if (!isRuleName(name)) {
                problems.add(key + "=" + value + ": rule name '" + name
                        + "' may use only letters, digits, '-' and '_'; ignored");
            } else if (ConfigKeys.rule(suffix) == null) {
                problems.add("unknown key " + key + "=" + value + ": rule keys are " + ruleKeyList() + "; ignored");
            } else {
                Map<String, String> keys = ruleKeys.get(name);
                if (keys == null) {
                    keys = new TreeMap<>();
                    ruleKeys.put(name, keys);
                }
                keys.put(suffix, value);
            }
        } else if (ConfigKeys.global(key) == null) {
            problems.add("unknown key " + key + "=" + value + ": known keys are " + globalKeyList()
                    + " and chaos.rule.<name>.<key>; ignored");
        }
    }

    /** A global value: parsed, or the default at start-up, or the previous value at run time. */
    private Object global(String key, Object defaultValue, Object previousValue) {
        String text = raw.get(key);
        Object parsed = defaultValue;
        if (text != null) {
            try {
                parsed = parseGlobal(key, text.trim());
            } catch (IllegalArgumentException ex) {
                if (previousValue == null) {
                    problems.add(key + "=" + text + " " + ex.getMessage() + "; using the default " + showValue(key, defaultValue));
                    return defaultValue;
                }
                problems.add(key + "=" + text + " " + ex.getMessage() + "; keeps " + showValue(key, previousValue));
                return previousValue;
            }
        }
        if (previousValue != null && !ConfigKeys.global(key).dynamic() && !previousValue.equals(parsed)) {
            notices.add(key + "=" + show(text) + " takes effect after restart; keeps " + showValue(key, previousValue));
            return previousValue;
        }
        return parsed;
    }

    private static Object parseGlobal(String key, String text) {
        switch (key) {
            case ConfigKeys.ARMED:
                return parseBoolean(text);
            case ConfigKeys.POLL: {
                long ms = parseDurationNanos(text) / 1_000_000L;
                if (ms < 10) {
                    throw new IllegalArgumentException("must be a duration of at least 10ms, such as 1s");
                }
                return ms;
            }
            case ConfigKeys.SUMMARY:
                return parseDurationNanos(text) / 1_000_000L;
            case ConfigKeys.LOG_LEVEL:
                for (LogLevel l : LogLevel.values()) {
                    if (l.text().equals(text)) {
                        return l;
                    }
                }
                throw new IllegalArgumentException("must be one of error, warn, info, debug");
            default:
                throw new IllegalStateException(key);
        }
    }

    private RuleConfig startupRule(String name, Map<String, String> keys) {
        int before = problems.size();
        String leftOut = "; rule '" + name + "' is left out";

        String targetText = required(keys, name, ConfigKeys.TARGET, leftOut);
        List<TargetPattern> targets = null;
        if (targetText != null) {
            try {
                targets = TargetPattern.parseList(targetText);
            } catch (IllegalArgumentException ex) {
                problems.add(key(name, ConfigKeys.TARGET) + "=" + targetText + " must be Class#method patterns separated by ';': "
                        + ex.getMessage() + leftOut);
            }
        }
        FaultKind fault = null;
        String faultText = required(keys, name, ConfigKeys.FAULT, leftOut);
        if (faultText != null) {
            fault = FaultKind.parse(faultText);
            if (fault == null) {
                problems.add(key(name, ConfigKeys.FAULT) + "=" + faultText
                        + " must be one of exception, latency, kill, latency+exception" + leftOut);
            }
        }
        double probability = 0;
        String probabilityText = required(keys, name, ConfigKeys.PROBABILITY, leftOut);
        if (probabilityText != null) {
            try {
                probability = parseProbability(probabilityText);
            } catch (IllegalArgumentException ex) {
                problems.add(key(name, ConfigKeys.PROBABILITY) + "=" + probabilityText + " " + ex.getMessage() + leftOut);
            }
        }
        boolean enabled = true;
        String enabledText = keys.get(ConfigKeys.ENABLED);
        if (enabledText != null) {
            try {
                enabled = parseBoolean(enabledText);
            } catch (IllegalArgumentException ex) {
                problems.add(key(name, ConfigKeys.ENABLED) + "=" + enabledText + " " + ex.getMessage() + leftOut);
            }
        }
        String exception = null;
        LatencyRange latency = null;
        if (fault != null) {
            exception = faultException(name, fault, keys.get(ConfigKeys.EXCEPTION), leftOut);
            latency = faultLatency(name, fault, keys.get(ConfigKeys.LATENCY), leftOut, null);
        }
        if (problems.size() > before) {
            return null;
        }
        return new RuleConfig(name, targetText, targets, fault, probability, exception, keys.get(ConfigKeys.MESSAGE),
                latency, enabled);
    }

    private String faultException(String name, FaultKind fault, String text, String consequence) {
        if (!fault.throwsException()) {
            if (text != null) {
                notices.add(key(name, ConfigKeys.EXCEPTION) + "=" + text + " is ignored: fault '" + fault.text()
                        + "' throws no exception");
            }
            return null;
        }
        if (text == null) {
            return RuleConfig.DEFAULT_EXCEPTION;
        }
        if (text.equals(RuleConfig.DECLARED) || TargetPattern.isDottedName(text)) {
            return text;
        }
        problems.add(key(name, ConfigKeys.EXCEPTION) + "=" + text
                + " must be a class name such as java.io.IOException, or 'declared'" + consequence);
        return null;
    }

    private LatencyRange faultLatency(String name, FaultKind fault, String text, String consequence, LatencyRange kept) {
        if (!fault.sleeps()) {
            if (text != null && kept == null && previous == null) {
                notices.add(key(name, ConfigKeys.LATENCY) + "=" + text + " is ignored: fault '" + fault.text() + "' does not sleep");
            }
            return null;
        }
        if (text == null) {
            problems.add(key(name, ConfigKeys.LATENCY) + " is missing: fault '" + fault.text()
                    + "' needs a delay such as 250ms or 100ms..2s" + consequence);
            return kept;
        }
        try {
            return parseLatency(text);
        } catch (IllegalArgumentException ex) {
            problems.add(key(name, ConfigKeys.LATENCY) + "=" + text + " " + ex.getMessage() + consequence);
            return kept;
        }
    }

    private String required(Map<String, String> keys, String name, String suffix, String consequence) {
        String text = keys.get(suffix);
        if (text == null || text.isEmpty()) {
            problems.add(key(name, suffix) + " is missing: every rule needs target, fault and probability" + consequence);
            return null;
        }
        return text;
    }

    /** At run time: dynamic keys change (bad values keep the old one); start-up-only keys are reported. */
    private RuleConfig runtimeRule(RuleConfig old, Map<String, String> keys) {
        String name = old.name();
        String keeps = "; rule '" + name + "' keeps ";

        String targetText = keys.get(ConfigKeys.TARGET);
        if (!same(targetText, old.targetText())) {
            notices.add(key(name, ConfigKeys.TARGET) + "=" + show(targetText) + " takes effect after restart" + keeps
                    + old.targetText());
        }
        String faultText = keys.get(ConfigKeys.FAULT);
        if (!same(faultText, old.fault().text())) {
            notices.add(key(name, ConfigKeys.FAULT) + "=" + show(faultText) + " takes effect after restart" + keeps
                    + old.fault().text());
        }
        if (old.fault().throwsException()) {
            String exceptionText = keys.get(ConfigKeys.EXCEPTION);
            String asked = exceptionText == null ? RuleConfig.DEFAULT_EXCEPTION : exceptionText;
            if (!asked.equals(old.exception())) {
                notices.add(key(name, ConfigKeys.EXCEPTION) + "=" + show(exceptionText) + " takes effect after restart"
                        + keeps + old.exception());
            }
        }

        double probability = old.probability();
        String probabilityText = keys.get(ConfigKeys.PROBABILITY);
        if (probabilityText == null || probabilityText.isEmpty()) {
            problems.add(key(name, ConfigKeys.PROBABILITY) + " is missing: every rule needs a probability" + keeps
                    + showProbability(probability));
        } else {
            try {
                probability = parseProbability(probabilityText);
            } catch (IllegalArgumentException ex) {
                problems.add(key(name, ConfigKeys.PROBABILITY) + "=" + probabilityText + " " + ex.getMessage() + keeps
                        + showProbability(probability));
            }
        }
        boolean enabled = old.enabled();
        String enabledText = keys.get(ConfigKeys.ENABLED);
        if (enabledText == null) {
            enabled = true;
        } else {
            try {
                enabled = parseBoolean(enabledText);
            } catch (IllegalArgumentException ex) {
                problems.add(key(name, ConfigKeys.ENABLED) + "=" + enabledText + " " + ex.getMessage() + keeps + enabled);
            }
        }
        LatencyRange latency = old.latency() == null ? null
                : faultLatency(name, old.fault(), keys.get(ConfigKeys.LATENCY), keeps + old.latency().text(), old.latency());
        return new RuleConfig(name, old.targetText(), old.targets(), old.fault(), probability, old.exception(),
                keys.get(ConfigKeys.MESSAGE), latency, enabled);
    }

    // ---- value parsers: each throws IllegalArgumentException saying what was expected ----

    static boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    static double parseProbability(String text) {
        double p;
        try {
            p = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number between 0 and 1");
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("must be a number between 0 and 1");
        }
        return p;
    }

    static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number (64-bit)");
        }
    }

    /** {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, or {@code 0}. */
    static long parseDurationNanos(String text) {
        String expected = "must be a duration such as 250ms, 1s or 2m";
        if (text.equals("0")) {
            return 0;
        }
        long unit;
        String number;
        if (text.endsWith("ms")) {
            unit = 1_000_000L;
            number = text.substring(0, text.length() - 2);
        } else if (text.endsWith("s")) {
            unit = 1_000_000_000L;
            number = text.substring(0, text.length() - 1);
        } else if (text.endsWith("m")) {
            unit = 60_000_000_000L;
            number = text.substring(0, text.length() - 1);
        } else {
            throw new IllegalArgumentException(expected);
        }
        if (number.isEmpty() || !(Character.isDigit(number.charAt(0)))) {
            throw new IllegalArgumentException(expected);
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected);
        }
        double nanos = value * unit;
        if (!(nanos >= 0) || nanos > 24 * 3600 * 1e9) {
            throw new IllegalArgumentException(expected + ", at most 24h");
        }
        return (long) nanos;
    }

    static LatencyRange parseLatency(String text) {
        int dots = text.indexOf("..");
        try {
            if (dots < 0) {
                long d = parseDurationNanos(text);
                return new LatencyRange(d, d, text);
            }
            long min = parseDurationNanos(text.substring(0, dots).trim());
            long max = parseDurationNanos(text.substring(dots + 2).trim());
            if (min > max) {
                throw new IllegalArgumentException("must be a range whose lower end is not above its upper end, such as 100ms..2s");
            }
            return new LatencyRange(min, max, text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("must be a range")) {
                throw e;
            }
            throw new IllegalArgumentException("must be a delay such as 250ms or a range such as 100ms..2s");
        }
    }

    static boolean isRuleName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---- presentation ----

    private static String key(String rule, String suffix) {
        return ConfigKeys.RULE_PREFIX + rule + "." + suffix;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String show(String text) {
        return text == null ? "(unset)" : text;
    }

    static String showProbability(double p) {
        return Double.toString(p);
    }

    private static String showValue(String key, Object value) {
        if (value instanceof LogLevel) {
            return ((LogLevel) value).text();
        }
        if (key.equals(ConfigKeys.POLL) || key.equals(ConfigKeys.SUMMARY)) {
            return showMillis((Long) value);
        }
        return String.valueOf(value);
    }

    private static String ruleKeyList() {
        StringBuilder b = new StringBuilder();
        for (ConfigKey k : ConfigKeys.RULE) {
            b.append(b.length() == 0 ? "" : ", ").append(k.name());
        }
        return b.toString();
    }

    private static String globalKeyList() {
        StringBuilder b = new StringBuilder();
        for (ConfigKey k : ConfigKeys.GLOBAL) {
            b.append(b.length() == 0 ? "" : ", ").append(k.name());
        }
        return b.toString();
    }

    /** Durations as the README writes them: 1s, 250ms, 2m. */
    public static String showMillis(long ms) {
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
