package dev.chaosagent.config;

/**
 * One declared configuration key. Rule keys are declared by suffix and written
 * {@code chaos.rule.<name>.<suffix>}.
 *
 * @param name         full key ({@code chaos.armed}) or, for rule keys, {@code chaos.rule.<name>.<suffix>}
 * @param defaultValue default as written in the README, or {@code (required)} / {@code (none)}
 * @param dynamic      whether a change while the JVM runs takes effect without a restart
 * @param doc          one line for the README table
 */
public record ConfigKey(String name, String defaultValue, boolean dynamic, String doc) {
}
