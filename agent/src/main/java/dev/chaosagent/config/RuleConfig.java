package dev.chaosagent.config;

import java.util.List;
import java.util.Map;

/**
 * One valid rule.
 *
 * @param keys      the rule's keys as written (suffix to text, sorted): what {@code rules} and {@code Keys} show
 * @param exception binary class name, {@link #DECLARED}, or null for faults that throw no exception
 * @param message   configured message, or null for the default one
 * @param latency   null for faults that do not sleep
 * @param maxInjections the rule's budget, or -1 when not set
 * @param maxConcurrent threads at most in its injected delays at once, or -1
 * @param maxRate       injections at most per second, or -1
 * @param threads       globs on the calling thread's name that a call must match to be the rule's, or null for all
 * @param returnValue   what a {@code return} fault returns, as written ({@link ReturnValue}), or null for other faults
 * @param args          per argument index (ascending), the globs its {@code String.valueOf} must match; empty for none
 * @param excludes      patterns whose matches the rule never weaves, or null
 * @param seed          the rule's own decision seed, or null for the agent's
 */
public record RuleConfig(String name, Map<String, String> keys, String targetText, List<TargetPattern> targets,
                         FaultKind fault, double probability, String exception, String message, Latency latency,
                         boolean enabled, long maxInjections, long maxConcurrent, long maxRate,
                         List<String> threads, String returnValue, java.util.SortedMap<Integer, List<String>> args,
                         List<TargetPattern> excludes, Long seed) {
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

    /**
     * Whether both versions weave the same methods the same way (target, fault, exception, the
     * return value, which decides which methods can take it, and which arguments conditions read):
     * if not, a change from one to the other retransforms the classes either names.
     */
    public boolean weavesLike(RuleConfig other) {
        return other != null && targetText.equals(other.targetText) && fault == other.fault
                && (exception == null ? other.exception == null : exception.equals(other.exception))
                && (returnValue == null ? other.returnValue == null : returnValue.equals(other.returnValue))
                && args.keySet().equals(other.args.keySet())
                && String.valueOf(keys.get(ConfigKeys.EXCLUDE.name())).equals(String.valueOf(other.keys.get(ConfigKeys.EXCLUDE.name())));
    }
}
