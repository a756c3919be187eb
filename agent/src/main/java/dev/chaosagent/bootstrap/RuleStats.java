package dev.chaosagent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-rule counters, written by woven code on any thread and read by the control thread.
 * Keeps a description of the first few injections so the control thread can log them without the
 * dispatcher ever logging (it lives in the bootstrap loader and must not call agent code).
 */
public final class RuleStats {
    public static final int FIRST_RECORDED = 3;

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injections = new AtomicLong();
    private final AtomicLong interruptedDelays = new AtomicLong();
    private final AtomicReferenceArray<String> firstInjections = new AtomicReferenceArray<>(FIRST_RECORDED);

    void countCall() {
        calls.incrementAndGet();
    }

    /** Counts one injection and returns how many came before it. */
    long countInjection() {
        return injections.getAndIncrement();
    }

    void countInterruptedDelay() {
        interruptedDelays.incrementAndGet();
    }

    void recordFirst(long ordinal, String description) {
        firstInjections.set((int) ordinal, description);
    }

    public long calls() {
        return calls.get();
    }

    public long injections() {
        return injections.get();
    }

    public long interruptedDelays() {
        return interruptedDelays.get();
    }

    /** Description of injection number {@code i} (0-based, below {@link #FIRST_RECORDED}), or null if not yet seen. */
    public String firstInjection(int i) {
        return firstInjections.get(i);
    }
}
