package dev.chaosagent.plan;

import java.util.List;

/** The weaver as the applier drives it: without knowing how classes are woven. */
public interface Weaving {
    /**
     * What one change of rules did to loaded classes.
     *
     * @param nanos        the whole of it: finding the classes the change names, and retransforming them
     * @param jvmNanos     the part spent inside the JVM's retransformation call (which runs the weaver)
     * @param weavingNanos the weaver's own part of {@code jvmNanos}
     */
    record Retransformation(int classes, long nanos, long jvmNanos, long weavingNanos, List<String> failures) {
    }

    /**
     * Weaves from now on by {@code plan}'s rules, and retransforms the loaded classes that a
     * retired or an added rule names, so that methods no rule names any more get their original
     * code back and newly named ones are woven.
     */
    Retransformation apply(Plan plan);

    /**
     * Housekeeping the control thread does once, after start-up, off the application's threads:
     * the weave cache drops what no JVM of this agent build will read.
     */
    void tidy();

    /** How many classes the JVM has offered the weaver as they loaded, so far: how busy the application's start-up still is. */
    long classesLoaded();
}
