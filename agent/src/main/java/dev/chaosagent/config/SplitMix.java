package dev.chaosagent.config;

/**
 * SplitMix64's finaliser, for the control side's hashes (the start-up seed, fleet positions). The
 * dispatcher in the bootstrap package has its own copy: it may reference JDK types only.
 */
public final class SplitMix {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** SplitMix64's finaliser: a bijection of 64-bit values that mixes every bit into every other. */
    public static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits as a double in [0, 1). */
    public static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
