package dev.chaosagent.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of {@link BenchTarget#work(int)}. Run by {@code BenchmarksTest} three times, in
 * forks without the agent, with the agent disarmed, and armed at probability 0, so that the only
 * difference between the runs is the woven entry call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WovenCallBenchmark {
    private int x = 17;

    @Benchmark
    public int call() {
        return BenchTarget.work(x++);
    }
}
