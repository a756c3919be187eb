package dev.chaosagent.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the clients saw in one phase, and what the agent and the service reported for it. */
final class PhaseResult {
    final String name;
    final long startMillis;
    final long endMillis;
    final int requests;
    final int successes;
    final Map<String, Integer> errors = new TreeMap<>();
    final long p50;
    final long p95;
    final long p99;
    final long max;
    final int liveWorkers;
    final int workersLost;
    final Map<String, Long> injections;

    PhaseResult(String name, long startMillis, long endMillis, List<Sample> samples, int liveWorkers, int workersLost,
                Map<String, Long> injections) {
        this.name = name;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.requests = samples.size();
        int ok = 0;
        long[] latencies = new long[samples.size()];
        for (int i = 0; i < latencies.length; i++) {
            Sample s = samples.get(i);
            latencies[i] = s.latencyMicros();
            if (s.ok()) {
                ok++;
            } else {
                errors.merge(s.outcome(), 1, Integer::sum);
            }
        }
        this.successes = ok;
        Arrays.sort(latencies);
        this.p50 = percentile(latencies, 0.50);
        this.p95 = percentile(latencies, 0.95);
        this.p99 = percentile(latencies, 0.99);
        this.max = latencies.length == 0 ? 0 : latencies[latencies.length - 1];
        this.liveWorkers = liveWorkers;
        this.workersLost = workersLost;
        this.injections = injections;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    double seconds() {
        return (endMillis - startMillis) / 1000.0;
    }

    double throughput() {
        return requests / Math.max(0.001, seconds());
    }

    double successRate() {
        return requests == 0 ? 0 : (double) successes / requests;
    }

    int errorsOf(String kind) {
        return errors.getOrDefault(kind, 0);
    }

    long totalInjections() {
        long n = 0;
        for (long v : injections.values()) {
            n += v;
        }
        return n;
    }
}
