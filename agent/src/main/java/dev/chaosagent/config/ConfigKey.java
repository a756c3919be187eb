package dev.chaosagent.config;

/**
 * One declared configuration key: its name, the type that parses it, its typed default, whether
 * a change at run time takes effect, and the one line of documentation the README's table shows
 * (a test checks the table against these declarations). Rule keys are declared by suffix and
 * written {@code chaos.rule.<name>.<suffix>}.
 *
 * @param <T> the parsed value's type
 */
public final class ConfigKey<T> {
    private final String name;
    private final ValueType type;
    private final T defaultValue;
    private final String defaultText;
    private final boolean dynamic;
    private final boolean required;
    private final String doc;

    ConfigKey(String name, ValueType type, T defaultValue, String defaultText, boolean dynamic, boolean required, String doc) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.dynamic = dynamic;
        this.required = required;
        this.doc = doc;
    }

    /** The full key ({@code chaos.armed}), or a rule key's suffix ({@code probability}). */
    public String name() {
        return name;
    }

    public ValueType type() {
        return type;
    }

    /** The value in force when the key is not set; null when there is none (or it is required). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the README's table writes it: {@code 1s}, {@code (required)}, {@code (none)}. */
    public String defaultText() {
        return defaultText;
    }

    public boolean dynamic() {
        return dynamic;
    }

    /** Whether a rule is incomplete without this key (rule keys only). */
    public boolean required() {
        return required;
    }

    /** The README's one-line description. */
    public String doc() {
        return doc;
    }

    /** Parses a value; {@link IllegalArgumentException} says what was expected. */
    @SuppressWarnings("unchecked")
    public T parse(String text) {
        return (T) type.parse(text);
    }

    public String show(Object value) {
        return type.show(value);
    }
}
