package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionTest {
    private static final int N = 100_000;

    private static int fired(long seed, long key, double p) {
        return count(hits(seed, key, p, N));
    }

    /**
     * The hits of the first {@code n} calls, walked from hit to hit as the dispatcher does (asking
     * {@link Dispatcher#decides} for each index would redo the walk from call 0 every time).
     */
    private static boolean[] hits(long seed, long key, double p, int n) {
        boolean[] hit = new boolean[n];
        long threshold = DispatchTable.threshold(p);
        if (threshold >= DispatchTable.ALWAYS) {
            java.util.Arrays.fill(hit, true);
        } else if (threshold > 0) {
            for (long at = Dispatcher.nextHit(seed, key, 0, threshold); at < n; at = Dispatcher.nextHit(seed, key, at + 1, threshold)) {
                hit[(int) at] = true;
            }
        }
        return hit;
    }

    /** {@link Dispatcher#decides}, the published function, names the same hits as the walk. */
    @Test
    void decidesNamesTheHitsOfTheWalk() {
        for (double p : new double[]{0.0, 0.02, 0.5, 1.0}) {
            boolean[] hit = hits(3, 11, p, 2000);
            for (int i = 0; i < hit.length; i++) {
                assertEquals(hit[i], Dispatcher.decides(3, 11, i, p), "p=" + p + ", call " + i);
            }
        }
    }

    /** Whether {@code count} lies within 5 standard deviations of a binomial(n, p) count. */
    private static void assertBinomial(long count, long n, double p, String what) {
        double mean = n * p;
        double sigma = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(count - mean) <= 5 * sigma + 1, what + ": " + count + ", expected " + mean + " +- 5 x " + sigma);
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

    /** Gaps between hits are geometric: P(gap = k) = (1 - p)^k p, within 5 sigma for each k. */
    @Test
    void gapsBetweenHitsAreGeometric() {
        double[] probabilities = {0.5, 0.1, 0.001};
        for (double p : probabilities) {
            long threshold = DispatchTable.threshold(p);
            int draws = 200_000;
            long[] byLength = new long[8];
            for (int from = 0; from < draws; from++) {
                long gap = Dispatcher.gap(12345, 678, from, threshold);
                assertTrue(gap >= 0, "a gap is never negative");
                int k = p >= 0.1 ? (int) Math.min(gap, 7) : (int) Math.min(gap / 500, 7); // p=0.001: gaps in bins of 500
                byLength[k]++;
            }
            for (int k = 0; k < 7; k++) {
                double expected = p >= 0.1 ? Math.pow(1 - p, k) * p : Math.pow(1 - p, 500.0 * k) - Math.pow(1 - p, 500.0 * (k + 1));
                assertBinomial(byLength[k], draws, expected, "p=" + p + ", gaps in bin " + k);
            }
            assertBinomial(byLength[7], draws, Math.pow(1 - p, p >= 0.1 ? 7 : 3500), "p=" + p + ", longer gaps");
        }
    }

    /** A hit says nothing about the next calls: pairs at distance 1, 2 and 7 hit together with probability p^2. */
    @Test
    void hitsAreIndependentOfOneAnother() {
        double p = 0.3;
        boolean[] hit = hits(99, 5, p, N);
        for (int distance : new int[]{1, 2, 7}) {
            long both = 0;
            for (int i = 0; i + distance < N; i++) {
                if (hit[i] && hit[i + distance]) {
                    both++;
                }
            }
            assertBinomial(both, N - distance, p * p, "pairs at distance " + distance);
        }
    }

    /** Keys and seeds give independent sequences: two keys' hits coincide with probability p^2. */
    @Test
    void otherKeysAndSeedsDecideIndependently() {
        double p = 0.3;
        boolean[] a = hits(99, 5, p, N);
        boolean[] otherKey = hits(99, 6, p, N);
        boolean[] otherSeed = hits(100, 5, p, N);
        long withKey = 0;
        long withSeed = 0;
        for (int i = 0; i < N; i++) {
            withKey += a[i] && otherKey[i] ? 1 : 0;
            withSeed += a[i] && otherSeed[i] ? 1 : 0;
        }
        assertBinomial(withKey, N, p * p, "hits shared with the next key");
        assertBinomial(withSeed, N, p * p, "hits shared with the next seed");
    }

    /** The smallest and largest probabilities below 1 behave as such; fixed seeds, so these cannot flake. */
    @Test
    void extremeProbabilities() {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(0, count(hits(seed, 3, 1e-9, 1000)), "p=1e-9, seed " + seed);
            assertEquals(0, count(hits(seed, 3, Double.MIN_VALUE, 1000)), "p=MIN_VALUE, seed " + seed);
            assertEquals(1000, count(hits(seed, 3, Math.nextDown(1.0), 1000)), "p just below 1, seed " + seed);
        }
    }

    private static int count(boolean[] hit) {
        int n = 0;
        for (boolean h : hit) {
            n += h ? 1 : 0;
        }
        return n;
    }

    @Test
    void theThresholdRoundsTheProbabilityUpToAMultipleOf2PowMinus53() {
        double[] edges = {Double.MIN_VALUE, 0x1.0p-53, 0x1.8p-53, 1e-9, 0.001, 0.3, 0.5, Math.nextDown(1.0)};
        for (double p : edges) {
            long t = DispatchTable.threshold(p);
            assertTrue((t - 1) * 0x1.0p-53 < p && !(t * 0x1.0p-53 < p), "threshold of " + p);
        }
        assertEquals(0, DispatchTable.threshold(0.0));
        assertEquals(DispatchTable.ALWAYS, DispatchTable.threshold(1.0));
    }

    @Test
    void decisionsArePureFunctionsOfTheirInputs() {
        assertEquals(fired(42, 5, 0.3), fired(42, 5, 0.3));
    }

    /**
     * What woven code does, through the dispatcher itself on a thread of its own: the calls that
     * throw are exactly those {@link Dispatcher#decides} names; a new probability or seed draws the
     * next hit anew from the first call that sees it (a return to earlier settings too), the same
     * settings in a new table draw nothing; a reset repeats the run from its first call.
     */
    @Test
    void theDispatcherHitsExactlyTheDecidedCalls() throws Exception {
        long siteKey = 0x1234_5678_9ABCL;
        long seed = 42;
        RuleStats stats = new RuleStats();
        int id = Dispatcher.register(new Site(0, 1, siteKey, stats, IllegalStateException.class.getName(), "T#m()"));
        List<String> failures = new ArrayList<>();
        Thread caller = new Thread(() -> {
            try {
                publish(seed, 0.2);
                long key = -1;
                List<Long> seen = new ArrayList<>();
                for (long i = 0; i < 3000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                    key = Dispatcher.currentThreadKey() ^ siteKey;
                }
                assertEquals(expected(seed, key, 0.2, 0, 3000), seen, "p=0.2 from the first call");

                publish(seed, 0.05); // drawn anew from call 3000
                seen.clear();
                for (long i = 3000; i < 6000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                }
                assertEquals(expected(seed, key, 0.05, 3000, 6000), seen, "p=0.05 from call 3000");

                publish(7, 0.05); // another seed: drawn anew from call 6000
                seen.clear();
                for (long i = 6000; i < 9000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                }
                assertEquals(expected(7, key, 0.05, 6000, 9000), seen, "seed 7 from call 6000");

                Dispatcher.resetCalls();
                seen.clear();
                for (long i = 0; i < 3000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                }
                assertEquals(expected(7, key, 0.05, 0, 3000), seen, "after a reset, from call 0 again");
                assertTrue(!seen.isEmpty(), "some calls hit");

                publish(7, 0.05); // the same settings in a new table (another rule changed): nothing drawn anew
                seen.clear();
                for (long i = 3000; i < 6000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                }
                List<Long> goingOn = new ArrayList<>(expected(7, key, 0.05, 0, 6000));
                goingOn.removeIf(hit -> hit < 3000);
                assertEquals(goingOn, seen, "the same settings republished: the run goes on");

                publish(7, 0); // probability 0: no hit
                for (long i = 6000; i < 9000; i++) {
                    assertFalse(calls(id, siteKey), "p=0, call " + i);
                }
                publish(7, 0.05); // back to the earlier settings: drawn anew from call 9000
                seen.clear();
                for (long i = 9000; i < 12000; i++) {
                    if (calls(id, siteKey)) {
                        seen.add(i);
                    }
                }
                assertEquals(expected(7, key, 0.05, 9000, 12000), seen, "back from p=0: from call 9000");
            } catch (Throwable e) {
                failures.add(String.valueOf(e));
            } finally {
                Dispatcher.publish(DispatchTable.EMPTY);
            }
        }, "decision-test-caller");
        caller.start();
        caller.join();
        assertEquals(List.of(), failures);
    }

    private static void publish(long seed, double p) {
        RuleSettings rule = new RuleSettings("r", 1, DispatchTable.EXCEPTION, p, true, RuleSettings.UNIFORM, 0, 0, 0, 0, 0,
                "hit", RuleSettings.UNLIMITED, RuleSettings.UNLIMITED, RuleSettings.UNLIMITED, null, null);
        Dispatcher.publish(new DispatchTable(true, seed, false, RuleSettings.UNLIMITED, new RuleSettings[]{rule}));
    }

    /** One call as woven code makes it: whether it was hit. */
    private static boolean calls(int id, long siteKey) {
        try {
            Dispatcher.enter(id, 0, 1, siteKey, DecisionTest.class);
            return false;
        } catch (IllegalStateException e) {
            assertEquals("hit", e.getMessage());
            return true;
        }
    }

    /** The hits among calls [from, to) when the probability (or seed) took effect at call {@code from}. */
    private static List<Long> expected(long seed, long key, double p, long from, long to) {
        long threshold = DispatchTable.threshold(p);
        List<Long> hits = new ArrayList<>();
        long hit = Dispatcher.nextHit(seed, key, from, threshold);
        while (hit < to) {
            hits.add(hit);
            hit = Dispatcher.nextHit(seed, key, hit + 1, threshold);
        }
        return hits;
    }
}
