package dev.chaosagent.bootstrap;

/**
 * What the dispatcher needs of one rule: its fault, probability and limits. Immutable; a new
 * {@link DispatchTable} carries new ones.
 */
public final class RuleSettings {
    /** A limit that is not set. */
    public static final long UNLIMITED = -1;
    /** Latency shapes: uniform in [min, max] (fixed when equal), exponential, log-normal. */
    public static final int UNIFORM = 0;
    public static final int EXPONENTIAL = 1;
    public static final int LOGNORMAL = 2;

    final String name;
    final int generation;
    final int fault;
    final double probability;
    final boolean enabled;
    final int latencyShape;
    final long latencyMinNanos;
    final long latencyMaxNanos;
    /** Exponential: the mean in nanoseconds; log-normal: mu and sigma of the logarithm of nanoseconds. */
    final double latencyFirst;
    final double latencySecond;
    /** The longest delay an exponential or log-normal draw gives, or 0 for no cap. */
    final long latencyCapNanos;
    final String message;
    final long maxInjections;
    final long maxConcurrent;
    final long maxRate;
    /** Only calls on threads whose name matches are the rule's, or null for every thread. */
    final ThreadCondition threads;
    /** Per argument a condition reads (in the order the woven code passes them), its globs; null for none. */
    final Globs[] args;
    /** Whether the rule decides with its own seed ({@code chaos.rule.<name>.seed}) instead of the agent's. */
    final boolean ownSeed;
    final long seed;

    /**
     * @param generation    the live weaving of the rule: sites of any other generation do not fire
     * @param fault         {@link DispatchTable#LATENCY}, {@link DispatchTable#EXCEPTION}, {@link DispatchTable#KILL} bits
     * @param maxInjections injections after which the rule stops firing, or {@link #UNLIMITED}
     * @param maxConcurrent threads at most inside the rule's injected delays at once, or {@link #UNLIMITED}
     * @param maxRate       injections at most in any one second, or {@link #UNLIMITED}
     */
    public RuleSettings(String name, int generation, int fault, double probability, boolean enabled, int latencyShape,
                        long latencyMinNanos, long latencyMaxNanos, double latencyFirst, double latencySecond, long latencyCapNanos,
                        String message, long maxInjections, long maxConcurrent, long maxRate, ThreadCondition threads,
                        Globs[] args) {
        this(name, generation, fault, probability, enabled, latencyShape, latencyMinNanos, latencyMaxNanos, latencyFirst,
                latencySecond, latencyCapNanos, message, maxInjections, maxConcurrent, maxRate, threads, args, false, 0L);
    }

    /**
     * @param ownSeed whether {@code seed} replaces the agent's seed in this rule's decisions and delays
     */
    public RuleSettings(String name, int generation, int fault, double probability, boolean enabled, int latencyShape,
                        long latencyMinNanos, long latencyMaxNanos, double latencyFirst, double latencySecond, long latencyCapNanos,
                        String message, long maxInjections, long maxConcurrent, long maxRate, ThreadCondition threads,
                        Globs[] args, boolean ownSeed, long seed) {
        this.ownSeed = ownSeed;
        this.seed = seed;
        this.name = name;
        this.generation = generation;
        this.fault = fault;
        this.probability = probability;
        this.enabled = enabled;
        this.latencyShape = latencyShape;
        this.latencyMinNanos = latencyMinNanos;
        this.latencyMaxNanos = latencyMaxNanos;
        this.latencyFirst = latencyFirst;
        this.latencySecond = latencySecond;
        this.latencyCapNanos = latencyCapNanos;
        this.message = message;
        this.maxInjections = maxInjections;
        this.maxConcurrent = maxConcurrent;
        this.maxRate = maxRate;
        this.threads = threads;
        this.args = args;
    }
}
