package dev.chaosagent.bootstrap;

/**
 * The settings of every rule, indexed by rule slot, and the switches that hold for all of them.
 * Immutable: the applier builds a new table and publishes it with
 * {@link Dispatcher#publish(DispatchTable)}. What every armed call reads sits in one array, two
 * longs per slot side by side, the gate (the generation that may fire, 0 for none, and whether it
 * has conditions) and the stamp of the slot's seed and probability, followed by what a drawing
 * reads, the probability as a threshold and the seed of the slot's decisions; the rest sits in one
 * {@link RuleSettings} per slot.
 */
public final class DispatchTable {
    public static final int LATENCY = 1;
    public static final int EXCEPTION = 2;
    public static final int KILL = 4;
    public static final int HANG = 8;
    public static final int RETURN = 16;

    static final DispatchTable EMPTY = new DispatchTable(false, 0L, false, RuleSettings.UNLIMITED, new RuleSettings[0]);

    final boolean armed;
    final long seed;
    final boolean dryRun;
    final long maxTotalInjections;
    /** A threshold at which every call fires (probability 1). */
    static final long ALWAYS = 1L << 53;

    private final RuleSettings[] rules;
    /** Longs per slot in {@link #hot}. */
    static final int HOT_STRIDE = 4;
    /**
     * Per slot: {@code [4 * slot]} the gate, {@code [4 * slot + 1]} the stamp ({@link #stampAfter}),
     * {@code [4 * slot + 2]} the threshold ({@link #threshold}), {@code [4 * slot + 3]} the seed of
     * its decisions and delays (the rule's own, or the agent's).
     */
    final long[] hot;
    /**
     * The stamp of every slot at probability 0, in every table: no call there is ever hit,
     * whatever the seed, so the hit a thread keeps under it (none) holds for all such slots at
     * once, and a thread's entries start out with it ({@link CallState}): at probability 0 no
     * call, not even a thread's first at a site, takes the rare path.
     */
    static final long NEVER_STAMP = -1;
    /** The last stamp given out, in this JVM; guarded by {@link Dispatcher#publish}'s lock. */
    private static long lastStamp;
    /** Whether {@link #stampAfter} ran; guarded by the same lock. */
    private boolean stamped;
    private final ThreadCondition[] threads;
    private final Globs[][] args;

    /**
     * @param dryRun             decide and count, but inject nothing
     * @param maxTotalInjections injections of all rules together after which none fires, or {@link RuleSettings#UNLIMITED}
     * @param rules              per slot; null for the slot of a rule that is gone (it never fires)
     */
    public DispatchTable(boolean armed, long seed, boolean dryRun, long maxTotalInjections, RuleSettings[] rules) {
        this.armed = armed;
        this.seed = seed;
        this.dryRun = dryRun;
        this.maxTotalInjections = maxTotalInjections;
        this.rules = rules.clone();
        int n = rules.length;
        hot = new long[HOT_STRIDE * n];
        threads = new ThreadCondition[n];
        args = new Globs[n][];
        for (int i = 0; i < n; i++) {
            RuleSettings r = rules[i];
            threads[i] = r == null ? null : r.threads;
            args[i] = r == null ? null : r.args;
            boolean live = armed && r != null && r.enabled;
            hot[HOT_STRIDE * i] = live ? gate(r.generation, r.threads != null || r.args != null) : 0;
            hot[HOT_STRIDE * i + 2] = r == null ? 0 : threshold(r.probability);
            hot[HOT_STRIDE * i + 3] = r != null && r.ownSeed ? r.seed : seed;
        }
    }

    /**
     * Gives every slot its stamp, once, just before this table is first published after
     * {@code previous}: {@link #NEVER_STAMP} for a slot at probability 0; the previous table's
     * stamp for a slot whose threshold and seed are the same in both; a new one (positive, never
     * given out before in this JVM) otherwise. So a thread's kept next hit, kept with the stamp it
     * was drawn under, stays good exactly while the slot's probability and seed do not change; from
     * a change on, each thread draws its next hit anew. A call that is not hit compares the stamp
     * and the hit, whatever the probability.
     */
    void stampAfter(DispatchTable previous) {
        if (stamped) {
            return; // published before: its stamps stand for its own settings still
        }
        stamped = true;
        long[] before = previous == null ? new long[0] : previous.hot;
        for (int at = 0; at < hot.length; at += HOT_STRIDE) {
            if (hot[at + 2] == 0) {
                hot[at + 1] = NEVER_STAMP;
                continue;
            }
            boolean same = at < before.length && before[at + 1] > 0 && before[at + 2] == hot[at + 2]
                    && before[at + 3] == hot[at + 3];
            hot[at + 1] = same ? before[at + 1] : ++lastStamp;
        }
    }

    /** A live slot's gate: its generation (at least 1) and whether its calls must meet conditions first. */
    static long gate(int generation, boolean conditioned) {
        return ((long) generation << 1) | (conditioned ? 1 : 0);
    }

    /**
     * The probability as a threshold: {@code ceil(p * 2^53)}, so that a call hits with probability
     * {@code threshold / 2^53}, p rounded up to the next multiple of 2^-53 (exact for every p a
     * double holds above that). 0 never fires, {@link #ALWAYS} always does.
     */
    static long threshold(double p) {
        if (!(p > 0.0)) {
            return 0;
        }
        return p >= 1.0 ? ALWAYS : (long) Math.ceil(p * 0x1.0p53);
    }

    public boolean armed() {
        return armed;
    }

    public long seed() {
        return seed;
    }

    /** The settings of the rule in this slot, or null if it is gone. */
    public RuleSettings rule(int slot) {
        return rules[slot];
    }

    /** Whether a site of this slot and generation may fire under this table. */
    boolean live(int slot, int generation) {
        int at = slot * HOT_STRIDE;
        return at < hot.length && (hot[at] >>> 1) == generation;
    }

    /** The rule's thread condition, or null when every thread's calls are its own. */
    ThreadCondition threads(int slot) {
        return threads[slot];
    }

    /** The rule's argument conditions, in the order its woven code passes the arguments, or null. */
    Globs[] args(int slot) {
        return args[slot];
    }

}
