package dev.chaosagent.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-rule counters and limits, written by woven code on any thread and read by the agent.
 * Calls are counted per {@link Site} (the call index that decisions need doubles as the count).
 * Keeps a description of the first few injections so the agent can log them without the
 * dispatcher ever logging (it lives in the bootstrap loader and must not call agent code).
 */
public final class RuleStats {
    public static final int FIRST_RECORDED = 3;

    private final AtomicLong injections = new AtomicLong();
    private final AtomicLong wouldInject = new AtomicLong();
    private final AtomicLong interruptedDelays = new AtomicLong();
    private final AtomicLong capped = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicInteger inDelay = new AtomicInteger();
    private final String[] firstInjections = new String[FIRST_RECORDED]; // guarded by this
    private final String[] firstWouldInject = new String[FIRST_RECORDED]; // guarded by this
    /** Times (System.nanoTime) of the last injections, a ring as long as the rate limit; guarded by this. */
    private long[] recent = new long[0];
    private int recentNext;
    private volatile LastInjection last;
    private volatile String periodicTaskHit;

    /**
     * Counts one injection unless the rule has used its budget: exact under any number of
     * threads. Returns how many came before it, or -1 (nothing counted) when the budget is spent.
     */
    long tryCountInjection(long max, boolean dryRun) {
        AtomicLong counter = dryRun ? wouldInject : injections;
        while (true) {
            long n = counter.get();
            if (max >= 0 && n >= max) {
                return -1;
            }
            if (counter.compareAndSet(n, n + 1)) {
                return n;
            }
        }
    }

    /** Takes back an injection counted by {@link #tryCountInjection} that another limit then refused. */
    void uncountInjection(boolean dryRun) {
        (dryRun ? wouldInject : injections).decrementAndGet();
    }

    void recordLast(String method) {
        last = new LastInjection(System.currentTimeMillis(), Thread.currentThread().getName(), method);
    }

    /** Enters an injected delay unless {@code max} threads are in one already. */
    boolean enterDelay(long max) {
        while (true) {
            int n = inDelay.get();
            if (max >= 0 && n >= max) {
                capped.incrementAndGet();
                return false;
            }
            if (inDelay.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void exitDelay() {
        inDelay.decrementAndGet();
    }

    /** Threads inside one of the rule's injected delays or hangs now. */
    public int inDelay() {
        return inDelay.get();
    }

    /**
     * Whether one more injection keeps the rule at most {@code max} per second: true when fewer
     * than {@code max} injections happened in the last second (a sliding window, exact).
     */
    synchronized boolean admitRate(long max, long now) {
        if (max < 0) {
            return true;
        }
        if (recent.length != max) {
            recent = new long[(int) max];
            recentNext = 0;
            java.util.Arrays.fill(recent, Long.MIN_VALUE);
        }
        if (max == 0 || (recent[recentNext] != Long.MIN_VALUE && now - recent[recentNext] < 1_000_000_000L)) {
            rateLimited.incrementAndGet();
            return false;
        }
        recent[recentNext] = now;
        recentNext = (recentNext + 1) % recent.length;
        return true;
    }

    void countInterruptedDelay() {
        interruptedDelays.incrementAndGet();
    }

    synchronized void recordFirst(long ordinal, String description, boolean dryRun) {
        (dryRun ? firstWouldInject : firstInjections)[(int) ordinal] = description;
    }

    public long injections() {
        return injections.get();
    }

    /** Decisions to inject made in dry-run, where nothing was injected. */
    public long wouldInject() {
        return wouldInject.get();
    }

    /** Calls that would have been delayed but ran unharmed because the rule's concurrency cap was reached. */
    public long capped() {
        return capped.get();
    }

    /** Injections left out because the rule's rate limit was reached. */
    public long rateLimited() {
        return rateLimited.get();
    }

    void recordPeriodicTaskHit(String method) {
        if (periodicTaskHit == null) {
            periodicTaskHit = method;
        }
    }

    /**
     * The first method where this rule threw inside a periodic scheduled task (which the JDK
     * then cancels for good, silently), or null.
     */
    public String periodicTaskHit() {
        return periodicTaskHit;
    }

    /** The last injection, or null if none since start-up or the last reset. */
    public LastInjection last() {
        return last;
    }

    /** Zeroes the counters (the first injections, already logged, are not logged again). */
    public void reset() {
        injections.set(0);
        wouldInject.set(0);
        interruptedDelays.set(0);
        capped.set(0);
        rateLimited.set(0);
        last = null;
    }

    public long interruptedDelays() {
        return interruptedDelays.get();
    }

    /** Description of injection number {@code i} (0-based, below {@link #FIRST_RECORDED}), or null if not yet seen. */
    public synchronized String firstInjection(int i, boolean dryRun) {
        return (dryRun ? firstWouldInject : firstInjections)[i];
    }
}
