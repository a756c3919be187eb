package dev.chaosagent.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The written form of one rule, as JMX {@code defineRule} and the CLI's {@code rule} take it:
 * the rule's keys without the {@code chaos.rule.<name>.} prefix, as whitespace-separated
 * {@code key=value} tokens, a value with spaces in single or double quotes:
 * {@code target=com.acme.Repo#find* fault=exception probability=0.1 message="db down"}.
 */
public final class RuleDefinition {
    private RuleDefinition() {
    }

    /**
     * @return suffix to value, in key order
     * @throws IllegalArgumentException with one line naming the rule, the definition and what is wrong
     */
    public static Map<String, String> parse(String name, String definition) {
        if (!ConfigKeys.isRuleName(name)) {
            throw new IllegalArgumentException("rule name '" + name + "' may use only letters, digits, '-' and '_'; nothing changes");
        }
        String where = "rule '" + name + "' definition '" + Problem.shown(definition == null ? "" : definition) + "' ";
        Map<String, String> keys = new TreeMap<>();
        String text = definition == null ? "" : definition;
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int eq = text.indexOf('=', i);
            int space = i;
            while (space < n && !Character.isWhitespace(text.charAt(space))) {
                space++;
            }
            if (eq < 0 || eq > space || eq == i) {
                throw new IllegalArgumentException(where + "must be key=value tokens, but has '" + text.substring(i, space)
                        + "'; nothing changes");
            }
            String key = text.substring(i, eq);
            if (ConfigKeys.rule(key) == null) {
                throw new IllegalArgumentException(where + "has the unknown key '" + key + "': rule keys are "
                        + ConfigKeys.names(ConfigKeys.RULE) + "; nothing changes");
            }
            if (keys.containsKey(key)) {
                throw new IllegalArgumentException(where + "sets '" + key + "' twice; nothing changes");
            }
            int v = eq + 1;
            String value;
            if (v < n && (text.charAt(v) == '"' || text.charAt(v) == '\'')) {
                char quote = text.charAt(v);
                int close = text.indexOf(quote, v + 1);
                if (close < 0) {
                    throw new IllegalArgumentException(where + "has an unclosed " + quote + " after '" + key + "='; nothing changes");
                }
                value = text.substring(v + 1, close);
                i = close + 1;
                if (i < n && !Character.isWhitespace(text.charAt(i))) {
                    throw new IllegalArgumentException(where + "must have a space after the quoted value of '" + key
                            + "'; nothing changes");
                }
            } else {
                i = v;
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                value = text.substring(v, i);
            }
            keys.put(key, value);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(where + "sets no key: it needs at least target, fault and probability;"
                    + " nothing changes (removeRule removes a rule)");
        }
        return keys;
    }

    /** The written form of a rule's keys: values with spaces or quotes are quoted. */
    public static String write(Map<String, String> keys) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(quoted(e.getValue()));
        }
        return b.toString();
    }

    /** A value as a definition token: bare, or in quotes when it holds a space or starts with a quote. */
    public static String quoted(String value) {
        boolean plain = !value.isEmpty() && value.charAt(0) != '"' && value.charAt(0) != '\'';
        for (int i = 0; plain && i < value.length(); i++) {
            plain = !Character.isWhitespace(value.charAt(i));
        }
        if (plain) {
            return value;
        }
        return value.indexOf('"') < 0 ? '"' + value + '"' : '\'' + value + '\'';
    }
}
