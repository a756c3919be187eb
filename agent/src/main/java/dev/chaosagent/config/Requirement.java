package dev.chaosagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One condition of {@code chaos.require} that must hold before the agent arms:
 * {@code env:NAME=value} (an environment variable) or {@code property:name=value} (a system
 * property). Checked at every attempt to arm, so a property the application sets later counts.
 */
public final class Requirement {
    private final boolean env;
    private final String name;
    private final String expected;
    private final String text;

    private Requirement(boolean env, String name, String expected, String text) {
        this.env = env;
        this.name = name;
        this.expected = expected;
        this.text = text;
    }

    /** Parses a {@code ;}-separated list; {@link IllegalArgumentException} says what is wrong. */
    static List<Requirement> parseList(String value) {
        List<Requirement> out = new ArrayList<>();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            int eq = p.indexOf('=', colon + 1);
            String kind = colon < 0 ? "" : p.substring(0, colon);
            if (!(kind.equals("env") || kind.equals("property")) || eq <= colon + 1) {
                throw new IllegalArgumentException("must be conditions env:NAME=value or property:name=value separated by ';',"
                        + " but has '" + p + "'");
            }
            out.add(new Requirement(kind.equals("env"), p.substring(colon + 1, eq), p.substring(eq + 1), p));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("names no condition such as env:DEPLOY_ENV=staging");
        }
        return Collections.unmodifiableList(out);
    }

    /** Null if the condition holds, else why not: {@code env:DEPLOY_ENV=staging does not hold (DEPLOY_ENV is 'prod')}. */
    public String unmet() {
        String actual = env ? System.getenv(name) : System.getProperty(name);
        if (expected.equals(actual)) {
            return null;
        }
        return text + " does not hold (" + name + (actual == null ? " is not set" : " is '" + actual + "'") + ")";
    }

    @Override
    public String toString() {
        return text;
    }
}
