package dev.chaosagent.config;

/**
 * One thing wrong with, or worth saying about, the configuration: the key, the value seen, what
 * was expected, and what the agent does instead. {@link #toString()} is the line the agent logs,
 * {@code chaos.rule.db.probability=1.5 must be a number between 0 and 1; rule 'db' keeps 0.05};
 * code decides by the fields, never by reading the line back.
 *
 * <p>A plain class, not a record: records' generated methods bootstrap through invokedynamic,
 * which costs start-up time in {@code premain}.
 */
public final class Problem {
    /** Values longer than this are shown cut short, with their length: a 1 MiB value is not echoed. */
    static final int LONGEST_VALUE_SHOWN = 200;
    private static final int SHOWN_WHEN_CUT = 80;

    private final boolean error;
    private final boolean unknownKey;
    private final String key;
    private final String value;
    private final String expected;
    private final String consequence;

    private Problem(boolean error, boolean unknownKey, String key, String value, String expected, String consequence) {
        this.error = error;
        this.unknownKey = unknownKey;
        this.key = key;
        this.value = value;
        this.expected = expected;
        this.consequence = consequence;
    }

    /** A value that was rejected: the agent keeps something else ({@code consequence} says what). */
    public static Problem error(String key, String value, String expected, String consequence) {
        return new Problem(true, false, key, value, expected, consequence);
    }

    /** Something the agent wants said but that is not wrong: an incomplete rule, a value that is ignored. */
    public static Problem notice(String key, String value, String expected, String consequence) {
        return new Problem(false, false, key, value, expected, consequence);
    }

    /** A key under {@code chaos.} that the agent does not know. */
    public static Problem unknownKey(String key, String value, String expected) {
        return new Problem(true, true, key, value, expected, "ignored");
    }

    /** The same problem with another consequence: what a rejected JMX request says instead of what a poll would do. */
    public Problem withConsequence(String other) {
        return new Problem(error, unknownKey, key, value, expected, other);
    }

    /** Whether this is about a rule as a whole (its key is {@code chaos.rule.<name>}): it is incomplete. */
    public boolean isAboutWholeRule() {
        String rule = rule();
        return rule != null && key.equals(ConfigKeys.RULE_PREFIX + rule);
    }

    public boolean isError() {
        return error;
    }

    /** The key the problem is about: {@code chaos.rule.db.probability}, or {@code chaos.rule.db} for the rule as a whole. */
    public String key() {
        return key;
    }

    /** The value seen, in full, or null when the key was missing. */
    public String value() {
        return value;
    }

    public String expected() {
        return expected;
    }

    public String consequence() {
        return consequence;
    }

    /** The rule the problem is about, or null. */
    public String rule() {
        return ConfigKeys.ruleOf(key);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(unknownKey ? "unknown key " : "").append(key);
        if (value != null) {
            b.append('=').append(shown(value));
        }
        b.append(expected.startsWith(":") ? "" : " ").append(expected);
        if (consequence != null) {
            b.append("; ").append(consequence);
        }
        return b.toString();
    }

    /** A value as a log line quotes it: in full when short, else its start and its length. */
    public static String shown(String value) {
        if (value.length() <= LONGEST_VALUE_SHOWN) {
            return value;
        }
        return value.substring(0, SHOWN_WHEN_CUT) + "... (" + value.length() + " characters)";
    }
}
