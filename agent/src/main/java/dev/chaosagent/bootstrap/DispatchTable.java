package dev.chaosagent.bootstrap;

/**
 * The settings of every rule, indexed by rule slot, and the switches that hold for all of them.
 * Immutable: the applier builds a new table and publishes it with
 * {@link Dispatcher#publish(DispatchTable)}. The three fields every armed call reads are kept in
 * arrays of their own; the rest sits in one {@link RuleSettings} per slot.
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
    private final RuleSettings[] rules;
    private final boolean[] enabled;
    private final int[] generations;
    private final double[] probabilities;
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
        enabled = new boolean[n];
        generations = new int[n];
        probabilities = new double[n];
        threads = new ThreadCondition[n];
        args = new Globs[n][];
        for (int i = 0; i < n; i++) {
            RuleSettings r = rules[i];
            enabled[i] = r != null && r.enabled;
            generations[i] = r == null ? 0 : r.generation;
            probabilities[i] = r == null ? 0 : r.probability;
            threads[i] = r == null ? null : r.threads;
            args[i] = r == null ? null : r.args;
        }
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
        return armed && slot < enabled.length && enabled[slot] && generations[slot] == generation;
    }

    /** The rule's thread condition, or null when every thread's calls are its own. */
    ThreadCondition threads(int slot) {
        return threads[slot];
    }

    /** The rule's argument conditions, in the order its woven code passes the arguments, or null. */
    Globs[] args(int slot) {
        return args[slot];
    }

    double probability(int slot) {
        return probabilities[slot];
    }
}
