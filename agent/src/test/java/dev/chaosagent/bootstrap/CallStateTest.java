package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
            key.set(s.key());
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
     * The next hit a thread keeps per site holds only for the stamp of the settings it was drawn
     * under (seed and probability are dynamic); it moves with the counts when they grow, a reset
     * forgets it, and it never shows in the call counts.
     */
    @Test
    void keptHitsHoldForTheirStampAndNeverCountAsCalls() {
        CallState mine = new CallState(Thread.currentThread());
        long callsBefore = CallState.totals(SITE + 2)[SITE + 1];
        long index = mine.next(SITE);
        assertEquals(-1, mine.hitAt(SITE, 5), "nothing kept yet");
        assertFalse(mine.beforeHit(SITE, 5, index), "nothing kept yet: no call is known to come before a hit");
        mine.keepHit(SITE, 7, 40);
        assertEquals(40, mine.hitAt(SITE, 7));
        assertTrue(mine.beforeHit(SITE, 7, 39));
        assertFalse(mine.beforeHit(SITE, 7, 40), "the hit itself");
        assertEquals(-1, mine.hitAt(SITE, 8), "another stamp");
        assertFalse(mine.beforeHit(SITE, 8, 39), "another stamp: drawn anew");
        mine.next(SITE + 1);
        mine.keepHit(SITE + 1, 7, 3);
        assertEquals(40, mine.hitAt(SITE, 7), "a neighbouring site keeps its own");
        mine.next(SITE * 4); // grows the counts: kept hits move with them
        assertEquals(40, mine.hitAt(SITE, 7), "kept across growth");
        assertEquals(callsBefore + 1, CallState.totals(SITE + 2)[SITE + 1], "one call of the neighbouring site, whatever is kept beside it");
        CallState.resetAll();
        assertEquals(0, mine.next(SITE));
        assertEquals(-1, mine.hitAt(SITE, 7), "a reset forgets it");
        assertEquals(1, CallState.totals(SITE + 1)[SITE], "after a reset, one call and nothing of what is kept");
    }

    /**
     * A fresh entry, and one a reset cleared, keeps no hit under the stamp of probability 0, so its
     * calls go on without drawing; under any other stamp it draws. The first sites are prepared
     * with the thread's state; one beyond them grows the counts, fresh as well.
     */
    @Test
    void freshEntriesAreGoodAtProbabilityZeroOnly() {
        CallState mine = new CallState(Thread.currentThread());
        mine.prepare(3);
        long index = mine.next(2);
        assertEquals(0, index);
        assertTrue(mine.beforeHit(2, DispatchTable.NEVER_STAMP, index));
        assertEquals(CallState.NO_HIT, mine.hitAt(2, DispatchTable.NEVER_STAMP));
        assertFalse(mine.beforeHit(2, 5, index), "any other stamp draws");
        int beyond = CallState.PREPARED_SITES + 10;
        long far = mine.next(beyond);
        assertEquals(0, far);
        assertTrue(mine.beforeHit(beyond, DispatchTable.NEVER_STAMP, far), "grown entries are fresh too");
        mine.keepHit(2, 5, 9);
        CallState.resetAll();
        long after = mine.next(2);
        assertEquals(0, after);
        assertTrue(mine.beforeHit(2, DispatchTable.NEVER_STAMP, after), "a reset entry is fresh again");
        assertEquals(-1, mine.hitAt(2, 5), "and keeps nothing drawn before");
    }
}
