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

    @Test
    void decisionsArePureFunctionsOfTheirInputs() {
        assertEquals(fired(42, 5, 0.3), fired(42, 5, 0.3));
    }
}
