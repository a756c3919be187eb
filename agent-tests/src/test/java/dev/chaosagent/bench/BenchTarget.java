package dev.chaosagent.bench;

/** The method whose per-call cost is measured, woven or not depending on the fork's JVM options. */
public final class BenchTarget {
    private BenchTarget() {
    }

    public static int work(int x) {
        return x * 31 + 7;
    }
}
