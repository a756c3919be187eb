package dev.chaosagent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-rule counters, written by woven code on any thread and read by the control thread. Calls
 * are counted per {@link Site} (the call index that decisions need doubles as the count).
 * Keeps a description of the first few injections so the control thread can log them without the
 * dispatcher ever logging (it lives in the bootstrap loader and must not call agent code).
 */
public final class RuleStats {
    public static final int FIRST_RECORDED = 3;

    private final AtomicLong injections = new AtomicLong();
    private final AtomicLong interruptedDelays = new AtomicLong();
    private final String[] firstInjections = new String[FIRST_RECORDED]; // guarded by this
    private volatile LastInjection last;
    private volatile String periodicTaskHit;

    /** Counts one injection, remembers it as the last one, and returns how many came before it. */
    long countInjection(String method) {
        last = new LastInjection(System.currentTimeMillis(), Thread.currentThread().getName(), method);
        return injections.getAndIncrement();
    }

    void countInterruptedDelay() {
        interruptedDelays.incrementAndGet();
    }

    synchronized void recordFirst(long ordinal, String description) {
        firstInjections[(int) ordinal] = description;
    }

    public long injections() {
        return injections.get();
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
        interruptedDelays.set(0);
        last = null;
    }

    public long interruptedDelays() {
        return interruptedDelays.get();
    }

    /** Description of injection number {@code i} (0-based, below {@link #FIRST_RECORDED}), or null if not yet seen. */
    public synchronized String firstInjection(int i) {
        return firstInjections[i];
    }
}
