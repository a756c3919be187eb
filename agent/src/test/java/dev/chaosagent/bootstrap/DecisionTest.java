package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionTest {
    private static final int N = 100_000;

    private static int fired(long seed, long key, double p) {
        int hits = 0;
        for (int i = 0; i < N; i++) {
            if (Dispatcher.decides(seed, key, i, p)) {
                hits++;
            }
        }
        return hits;
    }

    @Test
    void zeroNeverFiresAndOneAlwaysFires() {
        assertEquals(0, fired(1, 2, 0.0));
        assertEquals(N, fired(1, 2, 1.0));
    }

    /** Exact binomial bounds for p=0.1, n=100 000 at alpha about 1e-9, over many seeds and keys. */
    @Test
    void intermediateProbabilityStaysWithinBinomialBounds() {
        for (long seed = 0; seed < 20; seed++) {
            int hits = fired(seed, seed * 31 + 7, 0.1);
            assertTrue(hits >= 9425 && hits <= 10584, "seed " + seed + ": " + hits + " hits");
        }
    }

    /** The threshold form decides exactly as comparing the draw, as a double in [0, 1), with p. */
    @Test
    void theThresholdDecidesAsTheProbabilityDoes() {
        java.util.Random random = new java.util.Random(20261203);
        double[] edges = {Double.MIN_VALUE, 0x1.0p-53, 0x1.8p-53, 1e-9, 0.001, 0.3, 0.5, Math.nextDown(1.0)};
        for (int round = 0; round < 2_000; round++) {
            double p = round < edges.length ? edges[round] : random.nextDouble();
            long seed = random.nextLong();
            long key = random.nextLong();
            for (long index = 0; index < 200; index++) {
                boolean expected = Dispatcher.unit(Dispatcher.mix(seed, key, index, 0)) < p;
                assertEquals(expected, Dispatcher.decides(seed, key, index, p), "p=" + p + " index " + index);
            }
            // a draw just below and at the threshold
            long t = DispatchTable.threshold(p);
            assertTrue((t - 1) * 0x1.0p-53 < p && !(t * 0x1.0p-53 < p), "threshold of " + p);
        }
    }

    @Test
    void decisionsArePureFunctionsOfTheirInputs() {
        assertEquals(fired(42, 5, 0.3), fired(42, 5, 0.3));
    }
}
