package dev.chaosagent.config;

/** A fixed delay (min == max) or a uniform range, in nanoseconds, with the text it was written as. */
public record LatencyRange(long minNanos, long maxNanos, String text) {
}
