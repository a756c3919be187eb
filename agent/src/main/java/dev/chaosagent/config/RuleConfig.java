package dev.chaosagent.config;

import java.util.List;

/**
 * One valid rule.
 *
 * @param exception binary class name, {@link #DECLARED}, or null for faults that throw no exception
 * @param message   configured message, or null for the default one
 * @param latency   null for faults that do not sleep
 */
public record RuleConfig(String name, String targetText, List<TargetPattern> targets, FaultKind fault,
                         double probability, String exception, String message, LatencyRange latency,
                         boolean enabled) {
    public static final String DECLARED = "declared";
    public static final String DEFAULT_EXCEPTION = "java.lang.RuntimeException";

    /** The message an injected throwable carries. */
    public String effectiveMessage() {
        if (message != null) {
            return message;
        }
        return fault == FaultKind.KILL
                ? "thread killed by chaos-agent rule '" + name + "'"
                : "injected by chaos-agent rule '" + name + "'";
    }
}
