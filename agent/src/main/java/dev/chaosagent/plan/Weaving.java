package dev.chaosagent.plan;

import java.util.List;

/** The weaver as the applier drives it: without knowing how classes are woven. */
public interface Weaving {
    /** What one change of rules did to loaded classes. */
    record Retransformation(int classes, long nanos, List<String> failures) {
    }

    /**
     * Weaves from now on by {@code plan}'s rules, and retransforms the loaded classes that a
     * retired or an added rule names, so that methods no rule names any more get their original
     * code back and newly named ones are woven.
     */
    Retransformation apply(Plan plan);
}
