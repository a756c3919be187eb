package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CallStateTest {
    private static final int SITE = 70; // on the second page of counts

    /** Runs {@code calls} counted calls of {@link #SITE} on a new thread of this name; returns the thread's key. */
    private static long callOnThread(String name, int calls) throws InterruptedException {
        AtomicLong key = new AtomicLong();
        Thread t = new Thread(() -> {
            CallState s = new CallState(Thread.currentThread());
            for (int i = 0; i < calls; i++) {
                assertEquals(i, s.next(SITE), "a thread's own index counts its own calls");
            }
            key.set(s.key);
        }, name);
        t.start();
        t.join();
        return key.get();
    }

    @Test
    void endedThreadsCountsStayInTheTotals() throws InterruptedException {
        long before = CallState.totals(SITE + 1)[SITE];
        callOnThread("counting-a", 5);
        callOnThread("counting-b", 7);
        assertEquals(before + 12, CallState.totals(SITE + 1)[SITE]);
        assertEquals(before + 12, CallState.totals(SITE + 1)[SITE], "folding an ended thread counts it once");
    }

    @Test
    void threadsOfOneNameGetDistinctKeysThreadsOfOtherNamesToo() throws InterruptedException {
        long first = callOnThread("same-name", 1);
        long second = callOnThread("same-name", 1);
        long other = callOnThread("other-name", 1);
        assertNotEquals(first, second);
        assertNotEquals(first, other);
        assertNotEquals(second, other);
    }

    @Test
    void aResetRestartsEveryThreadsIndexAndDropsTheEndedOnes() throws InterruptedException {
        callOnThread("before-reset", 3);
        CallState mine = new CallState(Thread.currentThread());
        mine.next(SITE);
        mine.next(SITE);
        CallState.resetAll();
        assertEquals(0, CallState.totals(SITE + 1)[SITE]);
        assertEquals(0, mine.next(SITE), "the first call after a reset has index 0 again");
        assertEquals(1, CallState.totals(SITE + 1)[SITE]);
    }

    /**
     * The stream start a thread keeps per site is the dispatcher's own function of (seed, key)
     * under every seed it meets, including a seed changed back and forth (a rule's seed is
     * dynamic), after a reset and after the counts grow; and it never shows in the call counts.
     */
    @Test
    void keptStreamStartsFollowTheSeedAndNeverCountAsCalls() {
        CallState mine = new CallState(Thread.currentThread());
        long key = 0x5DEECE66DL;
        long[] seeds = {7, 7, 8, 7, 0, 0, -1, 8};
        long callsBefore = CallState.totals(SITE + 2)[SITE + 1];
        for (long seed : seeds) {
            mine.next(SITE);
            assertEquals(Dispatcher.streamStart(seed, key, 0), mine.streamStart(SITE, seed, key), "seed " + seed);
        }
        mine.next(SITE + 1);
        assertEquals(Dispatcher.streamStart(3, key + 1, 0), mine.streamStart(SITE + 1, 3, key + 1), "a neighbouring site keeps its own");
        assertEquals(Dispatcher.streamStart(8, key, 0), mine.streamStart(SITE, 8, key), "the first site's is still its own");
        mine.next(SITE * 4); // grows the counts: kept starts move with them
        assertEquals(Dispatcher.streamStart(8, key, 0), mine.streamStart(SITE, 8, key), "kept across growth");
        assertEquals(callsBefore + 1, CallState.totals(SITE + 2)[SITE + 1], "one call of the neighbouring site, whatever is kept beside it");
        CallState.resetAll();
        assertEquals(0, mine.next(SITE));
        assertEquals(Dispatcher.streamStart(9, key, 0), mine.streamStart(SITE, 9, key), "after a reset");
        assertEquals(1, CallState.totals(SITE + 1)[SITE], "after a reset, one call and nothing of what is kept");
    }
}
