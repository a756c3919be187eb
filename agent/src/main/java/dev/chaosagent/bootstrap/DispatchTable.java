package dev.chaosagent.bootstrap;

/**
 * The settings of every rule, indexed by rule slot. Immutable: the applier
 * builds a new table and publishes it with {@link Dispatcher#publish(DispatchTable)}.
 */
public final class DispatchTable {
    public static final int LATENCY = 1;
    public static final int EXCEPTION = 2;
    public static final int KILL = 4;

    static final DispatchTable EMPTY = new DispatchTable(false, 0L, new String[0], new int[0], new int[0], new double[0],
            new boolean[0], new long[0], new long[0], new String[0]);

    final boolean armed;
    final long seed;
    private final String[] names;
    private final int[] generations;
    private final int[] faults;
    private final double[] probabilities;
    private final boolean[] enabled;
    private final long[] latencyMinNanos;
    private final long[] latencyMaxNanos;
    private final String[] messages;

    /**
     * Arrays are copied; all must have the same length (one entry per rule slot). A slot whose
     * rule is gone is not enabled; {@code generations} says which weaving of each rule is live.
     */
    public DispatchTable(boolean armed, long seed, String[] names, int[] generations, int[] faults, double[] probabilities,
                         boolean[] enabled, long[] latencyMinNanos, long[] latencyMaxNanos, String[] messages) {
        int n = names.length;
        if (generations.length != n || faults.length != n || probabilities.length != n || enabled.length != n
                || latencyMinNanos.length != n || latencyMaxNanos.length != n || messages.length != n) {
            throw new IllegalArgumentException("rule arrays differ in length");
        }
        this.armed = armed;
        this.seed = seed;
        this.names = names.clone();
        this.generations = generations.clone();
        this.faults = faults.clone();
        this.probabilities = probabilities.clone();
        this.enabled = enabled.clone();
        this.latencyMinNanos = latencyMinNanos.clone();
        this.latencyMaxNanos = latencyMaxNanos.clone();
        this.messages = messages.clone();
    }

    public boolean armed() {
        return armed;
    }

    public long seed() {
        return seed;
    }

    public int ruleCount() {
        return names.length;
    }

    public String name(int rule) {
        return names[rule];
    }

    /** The live generation of the rule in this slot: woven code of any other one does not fire. */
    public int generation(int rule) {
        return generations[rule];
    }

    public int fault(int rule) {
        return faults[rule];
    }

    public double probability(int rule) {
        return probabilities[rule];
    }

    public boolean enabled(int rule) {
        return enabled[rule];
    }

    public long latencyMinNanos(int rule) {
        return latencyMinNanos[rule];
    }

    public long latencyMaxNanos(int rule) {
        return latencyMaxNanos[rule];
    }

    public String message(int rule) {
        return messages[rule];
    }
}
