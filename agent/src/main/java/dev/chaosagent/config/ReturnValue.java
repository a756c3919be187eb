package dev.chaosagent.config;

/**
 * The written forms of {@code chaos.rule.<name>.return}: {@code null}, {@code empty}, {@code true}
 * or {@code false}, a whole or decimal number, a quoted string ({@code "text"} or {@code 'x'}), or
 * an enum constant's name. Only the form is checked here; whether a method's return type can take
 * it is decided when the method is woven.
 */
public final class ReturnValue {
    public static final int BAD = -1;
    public static final int NULL = 0;
    public static final int EMPTY = 1;
    public static final int BOOLEAN = 2;
    public static final int INTEGER = 3;
    public static final int DECIMAL = 4;
    public static final int STRING = 5;
    public static final int CONSTANT = 6;

    static final String EXPECTED = "must be null, empty, true, false, a number, a quoted string such as \"text\", or an enum"
            + " constant's name";

    private ReturnValue() {
    }

    public static int kind(String text) {
        String t = text.trim();
        if (t.equals("null")) {
            return NULL;
        }
        if (t.equals("empty")) {
            return EMPTY;
        }
        if (t.equals("true") || t.equals("false")) {
            return BOOLEAN;
        }
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
            return STRING;
        }
        if (t.matches("-?[0-9]+")) {
            return INTEGER;
        }
        if (t.matches("-?[0-9]+\\.[0-9]+")) {
            return DECIMAL;
        }
        if (!t.isEmpty() && Character.isJavaIdentifierStart(t.charAt(0))) {
            for (int i = 1; i < t.length(); i++) {
                if (!Character.isJavaIdentifierPart(t.charAt(i))) {
                    return BAD;
                }
            }
            return CONSTANT;
        }
        return BAD;
    }

    /** The value's literal: a string without its quotes, a number or a constant's name as written. */
    public static String literal(String text) {
        String t = text.trim();
        return kind(t) == STRING ? t.substring(1, t.length() - 1) : t;
    }
}
