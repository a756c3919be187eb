package dev.chaosagent.config;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One {@code chaos.stop.<name>} condition: {@code <ObjectName>#<attribute>[.item] <op> <number>},
 * such as {@code com.zaxxer.hikari:type=Pool (db)#ThreadsAwaitingConnection > 5}. The ObjectName
 * may hold spaces and '#': the attribute starts after the last '#'. A composite attribute's item
 * follows the attribute's name after a dot. Parsing needs {@code javax.management} only when such
 * a key exists, so start-up without one loads none of it.
 */
public final class StopCondition {
    static final String EXPECTED = "must be <ObjectName>#<attribute>[.item] <op> <number> with <op> one of > >= < <=,"
            + " such as java.lang:type=Memory#HeapMemoryUsage.used > 900000000";

    private final String text;
    private final ObjectName objectName;
    private final String attribute;
    private final String item;
    private final String op;
    private final double threshold;

    private StopCondition(String text, ObjectName objectName, String attribute, String item, String op, double threshold) {
        this.text = text;
        this.objectName = objectName;
        this.attribute = attribute;
        this.item = item;
        this.op = op;
        this.threshold = threshold;
    }

    /** @throws IllegalArgumentException saying what was expected */
    static StopCondition parse(String text) {
        int hash = text.lastIndexOf('#');
        if (hash <= 0) {
            throw new IllegalArgumentException(EXPECTED);
        }
        String right = text.substring(hash + 1);
        int opAt = -1;
        for (int i = 0; i < right.length() && opAt < 0; i++) {
            char c = right.charAt(i);
            if (c == '<' || c == '>') {
                opAt = i;
            }
        }
        if (opAt < 0) {
            throw new IllegalArgumentException(EXPECTED);
        }
        String op = right.substring(opAt, opAt + (opAt + 1 < right.length() && right.charAt(opAt + 1) == '=' ? 2 : 1));
        String path = right.substring(0, opAt).trim();
        String number = right.substring(opAt + op.length()).trim();
        if (path.isEmpty() || path.indexOf(' ') >= 0 || path.startsWith(".") || path.endsWith(".")) {
            throw new IllegalArgumentException(EXPECTED);
        }
        double threshold;
        try {
            threshold = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXPECTED);
        }
        if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException(EXPECTED);
        }
        ObjectName name;
        try {
            name = new ObjectName(text.substring(0, hash).trim());
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("must start with a valid ObjectName before '#' (" + e.getMessage() + ")");
        }
        if (name.isPattern()) {
            throw new IllegalArgumentException("must name one MBean, not a pattern such as " + name);
        }
        int dot = path.indexOf('.');
        return new StopCondition(text, name, dot < 0 ? path : path.substring(0, dot), dot < 0 ? null : path.substring(dot + 1),
                op, threshold);
    }

    public ObjectName objectName() {
        return objectName;
    }

    public String attribute() {
        return attribute;
    }

    /** The composite item after the attribute's dot, or null. */
    public String item() {
        return item;
    }

    /** Whether a value seen makes the condition hold. */
    public boolean holds(double value) {
        switch (op) {
            case ">":
                return value > threshold;
            case ">=":
                return value >= threshold;
            case "<":
                return value < threshold;
            default:
                return value <= threshold;
        }
    }

    /** As written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StopCondition && ((StopCondition) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
