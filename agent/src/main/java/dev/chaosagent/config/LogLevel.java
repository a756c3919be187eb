package dev.chaosagent.config;

/** The agent's own log levels, as written in {@code chaos.log.level}. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG;

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
