package dev.chaosagent.config;

import java.util.List;

/**
 * The parser and printer of each kind of value a key can hold. One method per question rather
 * than a lambda or a class per type: keys are parsed in {@code premain}, where each first lambda
 * and each extra class costs start-up time (so {@link #parse} compares rather than switches).
 * {@link #parse} throws {@link IllegalArgumentException} whose message says what was expected
 * ("must be true or false"), for a {@link Problem}.
 */
public enum ValueType {
    BOOLEAN, DURATION, POLL_INTERVAL, TIME_LIMIT, LOG_LEVEL, SEED, PROBABILITY, PATTERNS, FAULT, EXCEPTION, TEXT, LATENCY, PATH,
    COUNT, RATE, REQUIREMENTS, STOP_CONDITION, GLOBS, RETURN_VALUE;

    /** The highest {@code max-rate}: the rate limit keeps one timestamp per injection it allows in a second. */
    static final long MAX_RATE = 100_000;

    /** @return Boolean, Long (milliseconds or the seed), LogLevel, Double, List of TargetPattern, FaultKind, String, Latency */
    public Object parse(String text) {
        // Compared, not switched: a switch on this enum loads a synthetic switch-map class, and this runs in premain.
        if (this == BOOLEAN) {
            return parseBoolean(text);
        }
        if (this == DURATION) {
            return parseDurationNanos(text) / 1_000_000L;
        }
        if (this == POLL_INTERVAL || this == TIME_LIMIT) {
            long ms = parseDurationNanos(text) / 1_000_000L;
            if (ms < 10) {
                throw new IllegalArgumentException(this == POLL_INTERVAL ? "must be a duration of at least 10ms, such as 1s"
                        : "must be a duration of at least 10ms, such as 30s or 10m");
            }
            return ms;
        }
        if (this == COUNT) {
            try {
                long n = Long.parseLong(text);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("must be a whole number, 0 or more");
        }
        if (this == RATE) {
            try {
                long n = Long.parseLong(text);
                if (n >= 1 && n <= MAX_RATE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("must be a whole number of injections per second, 1 to " + MAX_RATE);
        }
        if (this == REQUIREMENTS) {
            return Requirement.parseList(text);
        }
        if (this == STOP_CONDITION) {
            return StopCondition.parse(text);
        }
        if (this == GLOBS) {
            return parseGlobs(text);
        }
        if (this == RETURN_VALUE) {
            if (ReturnValue.kind(text) == ReturnValue.BAD) {
                throw new IllegalArgumentException(ReturnValue.EXPECTED);
            }
            return text;
        }
        if (this == LOG_LEVEL) {
            for (LogLevel l : LogLevel.values()) {
                if (l.text().equals(text)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("must be one of error, warn, info, debug");
        }
        if (this == SEED) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number (64-bit)");
            }
        }
        if (this == PROBABILITY) {
            return parseProbability(text);
        }
        if (this == PATTERNS) {
            try {
                return TargetPattern.parseList(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be Class#method patterns separated by ';': " + e.getMessage());
            }
        }
        if (this == FAULT) {
            FaultKind fault = FaultKind.parse(text);
            if (fault == null) {
                throw new IllegalArgumentException("must be one of exception, latency, kill, latency+exception, hang, return");
            }
            return fault;
        }
        if (this == EXCEPTION) {
            if (text.equals(RuleConfig.DECLARED) || TargetPattern.isDottedName(text)) {
                return text;
            }
            throw new IllegalArgumentException("must be a class name such as java.io.IOException, or 'declared'");
        }
        if (this == LATENCY) {
            return parseLatency(text);
        }
        return text; // TEXT, PATH
    }

    /** The type as the README's key tables write it. */
    public String text() {
        switch (this) {
            case BOOLEAN:
                return "boolean";
            case DURATION:
                return "duration";
            case POLL_INTERVAL:
            case TIME_LIMIT:
                return "duration, at least 10ms";
            case LOG_LEVEL:
                return "log level";
            case SEED:
                return "64-bit integer";
            case PROBABILITY:
                return "number in [0, 1]";
            case PATTERNS:
                return "target patterns";
            case FAULT:
                return "fault kind";
            case EXCEPTION:
                return "class name or `declared`";
            case LATENCY:
                return "delay, range or distribution";
            case PATH:
                return "file path";
            case COUNT:
                return "whole number, 0 or more";
            case RATE:
                return "whole number, 1 to " + MAX_RATE;
            case REQUIREMENTS:
                return "conditions";
            case STOP_CONDITION:
                return "stop condition";
            case GLOBS:
                return "globs";
            case RETURN_VALUE:
                return "return value";
            default:
                return "text";
        }
    }

    /** A parsed value as the README writes it: 1s, info, 0.05. */
    public String show(Object value) {
        if (value == null) {
            return "(none)";
        }
        switch (this) {
            case DURATION:
            case POLL_INTERVAL:
            case TIME_LIMIT:
                return showMillis((Long) value);
            case LOG_LEVEL:
                return ((LogLevel) value).text();
            case FAULT:
                return ((FaultKind) value).text();
            case LATENCY:
                return ((Latency) value).text();
            case REQUIREMENTS:
            case GLOBS:
            case PATTERNS: {
                StringBuilder b = new StringBuilder();
                for (Object p : (List<?>) value) {
                    b.append(b.length() == 0 ? "" : ";").append(p);
                }
                return b.toString();
            }
            default:
                return String.valueOf(value);
        }
    }

    /** {@code ;}-separated globs ({@code *}, {@code ?}), none empty. */
    static List<String> parseGlobs(String text) {
        List<String> out = new java.util.ArrayList<>();
        for (String part : text.split(";")) {
            String g = part.trim();
            if (!g.isEmpty()) {
                out.add(g);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("must be globs (* any characters, ? one) separated by ';'");
        }
        return java.util.Collections.unmodifiableList(out);
    }

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

    static Latency parseLatency(String text) {
        return Latency.parse(text);
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
