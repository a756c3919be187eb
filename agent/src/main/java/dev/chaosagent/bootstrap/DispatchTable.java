package dev.chaosagent.bootstrap;

/**
 * The settings of every rule, indexed by rule slot, and the switches that hold for all of them.
 * Immutable: the applier builds a new table and publishes it with
 * {@link Dispatcher#publish(DispatchTable)}. What every armed call reads sits in one array, two
 * longs per slot side by side (one cache line for a call's reads): the gate (the generation that
 * may fire, 0 for none, and whether it has conditions) and the probability as a threshold; the
 * rest sits in one {@link RuleSettings} per slot.
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
    /** A threshold at which every call fires: every 53-bit draw is below it. */
    static final long ALWAYS = 1L << 53;

    private final RuleSettings[] rules;
    /** Per slot: {@code [2 * slot]} the gate, {@code [2 * slot + 1]} the threshold ({@link #threshold}). */
    final long[] hot;
    /** Per slot, the seed of its decisions and delays: the rule's own, or the agent's. Read only by calls that may fire. */
    final long[] seeds;
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
        hot = new long[2 * n];
        seeds = new long[n];
        threads = new ThreadCondition[n];
        args = new Globs[n][];
        for (int i = 0; i < n; i++) {
            RuleSettings r = rules[i];
            threads[i] = r == null ? null : r.threads;
            args[i] = r == null ? null : r.args;
            boolean live = armed && r != null && r.enabled;
            hot[2 * i] = live ? gate(r.generation, r.threads != null || r.args != null) : 0;
            hot[2 * i + 1] = r == null ? 0 : threshold(r.probability);
            seeds[i] = r != null && r.ownSeed ? r.seed : seed;
        }
    }

    /** A live slot's gate: its generation (at least 1) and whether its calls must meet conditions first. */
    static long gate(int generation, boolean conditioned) {
        return ((long) generation << 1) | (conditioned ? 1 : 0);
    }

    /**
     * The probability as a threshold on a 53-bit draw: a call fires when its draw is below it.
     * Exact: a draw {@code m} stands for {@code m / 2^53}, which is below {@code p} exactly when
     * {@code m} is below {@code ceil(p * 2^53)}. 0 never fires, {@link #ALWAYS} always does.
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
        int at = slot << 1;
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
