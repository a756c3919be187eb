package dev.chaosagent.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What one injected exception costs. Run by {@code BenchmarksTest} with a rule that hits every
 * call of {@link BenchTarget#work(int)} with an exception: {@code injected} catches what the
 * agent throws; {@code thrown} calls a method of the same shape that throws a
 * {@code RuntimeException} of its own, what any exception costs the application, in the same JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InjectionBenchmark {
    private int x = 17;

    @Benchmark
    public int injected() {
        try {
            return BenchTarget.work(x++);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Benchmark
    public int thrown() {
        try {
            return throwing(x++);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static int throwing(int x) {
        if (x != Integer.MIN_VALUE) {
            throw new RuntimeException("thrown by the method itself");
        }
        return x * 31 + 7;
    }
}
