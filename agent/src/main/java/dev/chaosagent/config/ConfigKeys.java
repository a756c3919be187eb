package dev.chaosagent.config;

import java.util.List;

/**
 * Every key the agent understands, declared once with its type, default, dynamic flag and doc.
 * The parser reads nothing that is not declared here, and the README's key tables are checked
 * against this list, default and doc included.
 */
public final class ConfigKeys {
    public static final String PREFIX = "chaos.";
    public static final String RULE_PREFIX = "chaos.rule.";
    public static final String STOP_PREFIX = "chaos.stop.";

    public static final ConfigKey<Boolean> ARMED = new ConfigKey<>("chaos.armed", ValueType.BOOLEAN, Boolean.FALSE, "false",
            true, false, "Master switch: nothing fires until it is `true`.");
    public static final ConfigKey<String> CONFIG = new ConfigKey<>("chaos.config", ValueType.PATH, null, "(none)", true, false,
            "Path of a properties file with the same keys; the agent argument is a shorthand for it. Re-read at every poll;"
                    + " a system property beats the file. Naming another file switches to it.");
    public static final ConfigKey<Long> POLL = new ConfigKey<>("chaos.poll", ValueType.POLL_INTERVAL, 1000L, "1s", true, false,
            "How often the control thread re-reads system properties and the config file (at least 10ms).");
    public static final ConfigKey<LogLevel> LOG_LEVEL = new ConfigKey<>("chaos.log.level", ValueType.LOG_LEVEL, LogLevel.INFO,
            "info", true, false, "The agent's own log level: `error`, `warn`, `info` or `debug`.");
    public static final ConfigKey<Long> SEED = new ConfigKey<>("chaos.seed", ValueType.SEED, null,
            "(random, printed in the banner)", false, false,
            "Seed of every fire/no-fire decision. The same seed gives the same decision to the n-th call of a method on a"
                    + " thread of a given name, whatever the other threads do, on any JDK.");
    public static final ConfigKey<Long> SUMMARY = new ConfigKey<>("chaos.summary", ValueType.DURATION, 60_000L, "1m", true, false,
            "Interval of the per-rule summary line (calls, injections, observed rate); `0` turns it off.");

    public static final ConfigKey<Long> DURATION = new ConfigKey<>("chaos.duration", ValueType.TIME_LIMIT, null, "(none)", true,
            false, "Once armed, the agent disarms itself after this long (`30s`, `10m`); each arming starts a new window.");
    public static final ConfigKey<Long> LEASE = new ConfigKey<>("chaos.lease", ValueType.TIME_LIMIT, null, "(none)", true, false,
            "Dead-man switch: while armed, the agent disarms itself unless the lease is renewed within this long (JMX"
                    + " `renewLease()`, the CLI's `renew`, or any arm).");
    public static final ConfigKey<Long> MAX_INJECTIONS = new ConfigKey<>("chaos.max-injections", ValueType.COUNT, null, "(none)",
            true, false, "Budget of all rules together: after this many injections none fires (exact under any thread count).");
    public static final ConfigKey<Boolean> DRY_RUN = new ConfigKey<>("chaos.dry-run", ValueType.BOOLEAN, Boolean.FALSE, "false",
            true, false, "Decisions are made and counted (`WouldInject`), logged as \"would inject\", but nothing is injected.");
    public static final ConfigKey<List<Requirement>> REQUIRE = new ConfigKey<>("chaos.require", ValueType.REQUIREMENTS, null,
            "(none)", false, false, "Conditions that must all hold before the agent arms, `env:NAME=value` or"
                    + " `property:name=value` separated by `;`. Otherwise every attempt to arm is refused.");

    public static final ConfigKey<Double> FLEET_FRACTION = new ConfigKey<>("chaos.fleet.fraction", ValueType.PROBABILITY, 1.0,
            "1", true, false, "Share of a fleet of JVMs that takes part: a JVM takes part only while a hash of its member name"
                    + " and the seed falls below it, so the same JVMs every time, and raising it only adds JVMs. One that does not"
                    + " take part behaves as disarmed and says so.");
    public static final ConfigKey<String> FLEET_MEMBER = new ConfigKey<>("chaos.fleet.member", ValueType.TEXT, null,
            "(the host name: the pod's name on Kubernetes)", true, false,
            "This JVM's name in the fleet, hashed for `chaos.fleet.fraction` (with `chaos.seed`, or 0 when it is not set).");

    public static final ConfigKey<String> WEAVE_CACHE = new ConfigKey<>("chaos.weave.cache", ValueType.PATH, "",
            "`$XDG_CACHE_HOME/chaos-agent/weave`, else `~/.cache/chaos-agent/weave`", false, false,
            "Directory where woven classes are kept for the next start (a warm start loads no weaver), or `off`. Used only"
                    + " while private to the JVM's user (created `rwx------`); one that cannot be created or written only means"
                    + " weaving without it.");

    public static final ConfigKey<List<TargetPattern>> TARGET = new ConfigKey<>("target", ValueType.PATTERNS, null, "(required)",
            true, true, "One or more `Class#method` patterns separated by `;` (see below).");
    public static final ConfigKey<FaultKind> FAULT = new ConfigKey<>("fault", ValueType.FAULT, null, "(required)", true, true,
            "`exception`, `latency`, `kill`, `latency+exception` (sleep, then throw: the shape of a timeout), `hang`"
                    + " (block until the rule is disabled or removed, the agent disarms, or the thread is interrupted), or"
                    + " `return` (return the `return` value at once, without running the method).");
    public static final ConfigKey<Double> PROBABILITY = new ConfigKey<>("probability", ValueType.PROBABILITY, null, "(required)",
            true, true, "Chance in [0, 1] that one call is hit. `0` never fires, `1` always fires.");
    public static final ConfigKey<String> EXCEPTION = new ConfigKey<>("exception", ValueType.EXCEPTION,
            RuleConfig.DEFAULT_EXCEPTION, "java.lang.RuntimeException", true, false,
            "The throwable to inject, by class name, resolved through the target class's own class loader (application"
                    + " exception types work). `declared` picks the method's first declared exception type; a method that"
                    + " declares none gets `RuntimeException`.");
    public static final ConfigKey<String> MESSAGE = new ConfigKey<>("message", ValueType.TEXT, null,
            "injected by chaos-agent rule '<name>'", true, false,
            "Message of the injected exception (for `kill`: `thread killed by chaos-agent rule '<name>'`).");
    public static final ConfigKey<Latency> LATENCY = new ConfigKey<>("latency", ValueType.LATENCY, null,
            "(required for latency faults)", true, false,
            "A delay, `250ms`; a uniform range, `100ms..2s`; or a distribution, `exp(mean=50ms)` or"
                    + " `lognormal(p50=20ms,p99=400ms)`, either optionally capped: `exp(mean=50ms,max=2s)`. Units: `ms`, `s`, `m`"
                    + " (decimals allowed: `1.5s`).");
    public static final ConfigKey<Boolean> ENABLED = new ConfigKey<>("enabled", ValueType.BOOLEAN, Boolean.TRUE, "true", true,
            false, "Turns one rule off without forgetting it (it stays woven).");

    public static final ConfigKey<Long> RULE_MAX_INJECTIONS = new ConfigKey<>("max-injections", ValueType.COUNT, null, "(none)",
            true, false, "The rule's budget: after this many injections it stops firing (exact under any thread count).");
    public static final ConfigKey<Long> MAX_CONCURRENT = new ConfigKey<>("max-concurrent", ValueType.COUNT, null, "(none)", true,
            false, "At most this many threads at once inside the rule's injected delays; a call beyond it runs unharmed"
                    + " and is counted as `Capped`.");
    public static final ConfigKey<Long> MAX_RATE = new ConfigKey<>("max-rate", ValueType.RATE, null, "(none)", true, false,
            "At most this many injections in any one second.");

    /** The family {@code chaos.stop.<name>}: one stop condition per name. */
    public static final ConfigKey<StopCondition> STOP = new ConfigKey<>("chaos.stop.<name>", ValueType.STOP_CONDITION, null,
            "(none)", true, false, "A stop condition, `<ObjectName>#<attribute>[.item] <op> <number>` with `<op>` one of"
                    + " `>` `>=` `<` `<=`, checked every poll while armed: when it holds, the agent disarms itself.");

    public static final ConfigKey<String> RETURN = new ConfigKey<>("return", ValueType.RETURN_VALUE, null,
            "(required for return faults)", true, false, "What a `return` fault returns: `null`, `empty` (an empty string,"
                    + " collection, map, `Optional`, array or stream of the declared type), or a literal of the declared type"
                    + " (`0`, `-1`, `false`, `\"text\"`, an enum constant's name). A method whose type cannot take it is skipped.");
    public static final ConfigKey<List<TargetPattern>> EXCLUDE = new ConfigKey<>("exclude", ValueType.PATTERNS, null, "(none)",
            true, false, "Patterns in the `target` syntax whose matches the rule never weaves (health checks, a library you"
                    + " do not own).");
    public static final ConfigKey<List<String>> THREADS = new ConfigKey<>("threads", ValueType.GLOBS, null, "(every thread)", true,
            false, "Globs on the calling thread's name, separated by `;` (`order-worker-*`): only calls on matching threads are"
                    + " the rule's (counted in `Calls`, and hit).");

    public static final ConfigKey<Long> RULE_SEED = new ConfigKey<>("seed", ValueType.SEED, null, "(chaos.seed)", true, false,
            "The rule's own seed for its decisions and delays, instead of `chaos.seed`: the rule's run repeats whatever the"
                    + " other rules do (the JUnit extension gives each test's rules one).");

    /** The family {@code arg.<index>}: one condition per argument index. */
    public static final ConfigKey<List<String>> ARG = new ConfigKey<>("arg.<index>", ValueType.GLOBS, null, "(any argument)", true,
            false, "Globs on `String.valueOf` of the argument at that index (0-based), separated by `;`"
                    + " (`arg.0=acme-test-*`): only calls whose argument matches are the rule's.");
    /** The highest argument index a condition may name (a method has at most 255 parameter slots). */
    public static final int MAX_ARG_INDEX = 254;

    public static final List<ConfigKey<?>> GLOBAL = List.of(ARMED, CONFIG, POLL, LOG_LEVEL, SEED, SUMMARY, DURATION, LEASE,
            MAX_INJECTIONS, DRY_RUN, REQUIRE, FLEET_FRACTION, FLEET_MEMBER, WEAVE_CACHE);
    public static final List<ConfigKey<?>> RULE = List.of(TARGET, FAULT, PROBABILITY, EXCEPTION, MESSAGE, LATENCY, ENABLED,
            RULE_MAX_INJECTIONS, MAX_CONCURRENT, MAX_RATE, EXCLUDE, THREADS, RETURN, RULE_SEED, ARG);

    private ConfigKeys() {
    }

    public static ConfigKey<?> global(String name) {
        for (ConfigKey<?> k : GLOBAL) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    public static ConfigKey<?> rule(String suffix) {
        if (argIndex(suffix) >= 0) {
            return ARG;
        }
        for (ConfigKey<?> k : RULE) {
            if (k.name().equals(suffix)) {
                return k;
            }
        }
        return null;
    }

    /** The index of an {@code arg.<index>} suffix, or -1 for any other suffix. */
    public static int argIndex(String suffix) {
        if (!suffix.startsWith("arg.") || suffix.length() == 4 || suffix.length() > 7) {
            return -1;
        }
        int n = 0;
        for (int i = 4; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            if (c < '0' || c > '9' || (i == 4 && c == '0' && suffix.length() > 5)) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= MAX_ARG_INDEX ? n : -1;
    }

    /** {@code chaos.rule.<rule>.<suffix>}. */
    public static String ruleKey(String rule, String suffix) {
        return RULE_PREFIX + rule + "." + suffix;
    }

    /**
     * The rule a {@code chaos.rule.<name>.<suffix>} key belongs to, or null for any other key.
     * (Also for {@code chaos.rule.<name>} itself, which problems about a rule as a whole name.)
     */
    public static String ruleOf(String key) {
        if (key == null || !key.startsWith(RULE_PREFIX)) {
            return null;
        }
        int dot = key.indexOf('.', RULE_PREFIX.length());
        String name = dot < 0 ? key.substring(RULE_PREFIX.length()) : key.substring(RULE_PREFIX.length(), dot);
        return name.isEmpty() ? null : name;
    }

    /** Whether a name can be a rule's: letters, digits, '-' and '_' (also safe in an ObjectName). */
    public static boolean isRuleName(String name) {
        if (name == null || name.isEmpty()) {
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

    /**
     * What a bad value of the key gets, as the README's tables say it; always with one line
     * naming the key, the value and what was expected (see {@link ConfigParser}).
     */
    public static String onBadValue(ConfigKey<?> key) {
        if (key == CONFIG) {
            return "a file that cannot be read: its last good contents stay";
        }
        if (key == SEED) {
            return "a random seed";
        }
        if (key == REQUIRE) {
            return "the agent never arms";
        }
        if (key == STOP) {
            return "ignored at start-up; later the condition in force stays";
        }
        if (RULE.contains(key)) {
            return "the rule is left out at start-up; later it keeps its whole previous definition";
        }
        return "the default at start-up; later the value in force stays";
    }

    static String names(List<ConfigKey<?>> keys) {
        StringBuilder b = new StringBuilder();
        for (ConfigKey<?> k : keys) {
            b.append(b.length() == 0 ? "" : ", ").append(k.name());
        }
        return b.toString();
    }
}
