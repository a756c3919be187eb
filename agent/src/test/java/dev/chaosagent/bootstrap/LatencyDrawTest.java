package dev.chaosagent.bootstrap;

import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.Latency;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency distributions' draws: the share of samples at or below a true quantile q is
 * binomial(n, q); every bound below is 5 standard deviations wide.
 */
class LatencyDrawTest {
    private static final int N = 20_000;

    private static RuleSettings settings(String latency) {
        Latency l = ConfigKeys.LATENCY.parse(latency);
        return new RuleSettings("r", 0, DispatchTable.LATENCY, 1.0, true, l.shape(), l.minNanos(), l.maxNanos(), l.first(),
                l.second(), l.capNanos(), "m", -1, -1, -1, null, null);
    }

    private static long[] draws(String latency, long seed) {
        RuleSettings r = settings(latency);
        long[] out = new long[N];
        for (int i = 0; i < N; i++) {
            out[i] = Dispatcher.delayNanos(r, seed, 77, i);
        }
        return out;
    }

    private static void assertQuantile(long[] samples, double q, double trueValueNanos) {
        long atOrBelow = 0;
        for (long s : samples) {
            atOrBelow += s <= trueValueNanos ? 1 : 0;
        }
        double mean = N * q;
        double sd = Math.sqrt(N * q * (1 - q));
        assertTrue(Math.abs(atOrBelow - mean) <= 5 * sd,
                atOrBelow + " of " + N + " samples at or below the true q" + q + " (" + trueValueNanos + " ns); expected " + mean);
    }

    @Test
    void lognormalHasTheMedianAndP99ItWasGiven() {
        for (long seed = 1; seed <= 5; seed++) {
            long[] s = draws("lognormal(p50=20ms,p99=400ms)", seed);
            assertQuantile(s, 0.50, 20e6);
            assertQuantile(s, 0.99, 400e6);
            assertQuantile(s, 0.90, Math.exp(Math.log(20e6) + 1.2815515655446004 * (Math.log(400e6) - Math.log(20e6)) / 2.3263478740408408));
        }
    }

    @Test
    void exponentialHasItsMeansQuantiles() {
        for (long seed = 1; seed <= 5; seed++) {
            long[] s = draws("exp(mean=50ms)", seed);
            assertQuantile(s, 0.50, 50e6 * Math.log(2));
            assertQuantile(s, 0.99, 50e6 * Math.log(100));
            double sum = 0;
            for (long v : s) {
                sum += v;
            }
            // the sample mean of an exponential has sd mean / sqrt(n)
            assertEquals(50e6, sum / N, 5 * 50e6 / Math.sqrt(N), "sample mean");
        }
    }

    @Test
    void aCapBoundsEveryDraw() {
        long[] s = draws("exp(mean=1ms,max=2ms)", 9);
        long atCap = 0;
        for (long v : s) {
            assertTrue(v <= 2_000_000, v + " ns above the cap");
            atCap += v == 2_000_000 ? 1 : 0;
        }
        double q = Math.exp(-2); // P(exp(1 ms) > 2 ms)
        assertEquals(N * q, atCap, 5 * Math.sqrt(N * q * (1 - q)), "draws at the cap");
        long[] l = draws("lognormal(p50=1ms,p99=100ms,max=50ms)", 9);
        for (long v : l) {
            assertTrue(v > 0 && v <= 50_000_000, v + " ns");
        }
    }

    @Test
    void aFixedSeedRepeatsEveryDraw() {
        assertEquals(java.util.Arrays.toString(draws("lognormal(p50=20ms,p99=400ms)", 42)),
                java.util.Arrays.toString(draws("lognormal(p50=20ms,p99=400ms)", 42)));
        assertTrue(!java.util.Arrays.equals(draws("exp(mean=5ms)", 1), draws("exp(mean=5ms)", 2)), "another seed, other draws");
    }
}
