package dev.chaosagent.config;

import java.util.List;

/** Every key the agent understands, declared once. The README's key table is checked against this list. */
public final class ConfigKeys {
    public static final String PREFIX = "chaos.";
    public static final String RULE_PREFIX = "chaos.rule.";

    public static final String ARMED = "chaos.armed";
    public static final String CONFIG = "chaos.config";
    public static final String POLL = "chaos.poll";
    public static final String LOG_LEVEL = "chaos.log.level";
    public static final String SEED = "chaos.seed";
    public static final String SUMMARY = "chaos.summary";

    public static final String TARGET = "target";
    public static final String FAULT = "fault";
    public static final String PROBABILITY = "probability";
    public static final String EXCEPTION = "exception";
    public static final String MESSAGE = "message";
    public static final String LATENCY = "latency";
    public static final String ENABLED = "enabled";

    public static final List<ConfigKey> GLOBAL = List.of(
            new ConfigKey(ARMED, "false", true,
                    "Master switch: nothing fires until it is true."),
            new ConfigKey(CONFIG, "(none)", false,
                    "Path of a properties file with the same keys; the agent argument is a shorthand for it. "
                            + "Re-read when it changes; a system property beats the file."),
            new ConfigKey(POLL, "1s", true,
                    "How often the control thread re-reads system properties and the config file."),
            new ConfigKey(LOG_LEVEL, "info", true,
                    "The agent's own log level: error, warn, info or debug (stderr, prefixed [chaos-agent])."),
            new ConfigKey(SEED, "(random, printed in the banner)", false,
                    "Seed of every fire/no-fire decision: the same seed gives the same decisions for the same call sequence."),
            new ConfigKey(SUMMARY, "1m", true,
                    "Interval of the per-rule summary line (calls, injections); 0 turns it off."));

    public static final List<ConfigKey> RULE = List.of(
            new ConfigKey(TARGET, "(required)", false,
                    "Patterns Class#method separated by ';', e.g. com.acme.**.Repo#find*(java.lang.String,int)."),
            new ConfigKey(FAULT, "(required)", false,
                    "exception, latency, kill, or latency+exception (sleep, then throw: the shape of a timeout)."),
            new ConfigKey(PROBABILITY, "(required)", true,
                    "Chance in [0, 1] that one call is hit: 0 never fires, 1 always fires."),
            new ConfigKey(EXCEPTION, "java.lang.RuntimeException", false,
                    "Throwable to throw, resolved through the target class's loader; 'declared' picks the method's first declared exception."),
            new ConfigKey(MESSAGE, "injected by chaos-agent rule '<name>'", true,
                    "Message of the injected exception or thread kill."),
            new ConfigKey(LATENCY, "(required for latency faults)", true,
                    "Delay: 250ms, or a uniform range 100ms..2s (units ms, s, m)."),
            new ConfigKey(ENABLED, "true", true,
                    "Turns one rule off without forgetting it."));

    private ConfigKeys() {
    }

    public static ConfigKey global(String name) {
        for (ConfigKey k : GLOBAL) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    public static ConfigKey rule(String suffix) {
        for (ConfigKey k : RULE) {
            if (k.name().equals(suffix)) {
                return k;
            }
        }
        return null;
    }
}
