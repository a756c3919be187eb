package dev.chaosagent.plan;

import dev.chaosagent.bootstrap.RuleStats;

/**
 * Holds a rule's {@link RuleStats}, made at the first call of {@link #get()}: they are the
 * dispatcher's class, which the agent defines only when it first needs it (see
 * {@link DispatcherGate}). A rule keeps its cell, and so its counters, while its name is defined.
 */
public final class StatsCell {
    private volatile RuleStats stats;

    /** The counters, made at the first call. */
    public RuleStats get() {
        RuleStats s = stats;
        if (s == null) {
            synchronized (this) {
                s = stats;
                if (s == null) {
                    s = new RuleStats();
                    stats = s;
                }
            }
        }
        return s;
    }
}
