package dev.chaosagent.config;

/**
 * An injected delay: fixed ({@code 250ms}), uniform ({@code 100ms..2s}), exponential
 * ({@code exp(mean=50ms)}) or log-normal ({@code lognormal(p50=20ms,p99=400ms)}), the last two
 * optionally capped ({@code ,max=2s}). In nanoseconds; the dispatcher draws each sample from the
 * call's seeded decision stream.
 *
 * @param shape    {@link #UNIFORM} (a fixed delay is a uniform one with min == max), {@link #EXPONENTIAL}, {@link #LOGNORMAL}
 * @param minNanos uniform: the lower end
 * @param maxNanos uniform: the upper end
 * @param first    exponential: the mean in nanoseconds; log-normal: mu, the mean of the logarithm of nanoseconds
 * @param second   log-normal: sigma, the standard deviation of that logarithm
 * @param capNanos exponential and log-normal: the longest delay drawn, or 0 for none
 * @param text     as written
 */
public record Latency(int shape, long minNanos, long maxNanos, double first, double second, long capNanos, String text) {
    public static final int UNIFORM = 0;
    public static final int EXPONENTIAL = 1;
    public static final int LOGNORMAL = 2;

    /** The standard normal quantile of 0.99: a log-normal's p99 is exp(mu + Z99 * sigma). */
    static final double Z99 = 2.3263478740408408;

    static final String EXPECTED = "must be a delay such as 250ms, a range such as 100ms..2s, exp(mean=50ms) or"
            + " lognormal(p50=20ms,p99=400ms), the last two optionally with ,max=2s";

    /** @throws IllegalArgumentException saying what was expected */
    static Latency parse(String text) {
        String t = text.trim();
        if (t.startsWith("exp(") || t.startsWith("lognormal(")) {
            return distribution(t);
        }
        int dots = t.indexOf("..");
        try {
            if (dots < 0) {
                long d = ValueType.parseDurationNanos(t);
                return new Latency(UNIFORM, d, d, 0, 0, 0, text);
            }
            long min = ValueType.parseDurationNanos(t.substring(0, dots).trim());
            long max = ValueType.parseDurationNanos(t.substring(dots + 2).trim());
            if (min > max) {
                throw new IllegalArgumentException("must be a range whose lower end is not above its upper end, such as 100ms..2s");
            }
            return new Latency(UNIFORM, min, max, 0, 0, 0, text);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("must be a range") ? e : new IllegalArgumentException(EXPECTED);
        }
    }

    private static Latency distribution(String t) {
        if (!t.endsWith(")")) {
            throw new IllegalArgumentException(EXPECTED);
        }
        boolean exp = t.startsWith("exp(");
        String inside = t.substring(t.indexOf('(') + 1, t.length() - 1);
        long mean = -1;
        long p50 = -1;
        long p99 = -1;
        long cap = 0;
        for (String part : inside.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(EXPECTED);
            }
            String name = part.substring(0, eq).trim();
            long nanos;
            try {
                nanos = ValueType.parseDurationNanos(part.substring(eq + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(EXPECTED);
            }
            if (nanos <= 0) {
                throw new IllegalArgumentException(EXPECTED + " (each a duration above 0)");
            }
            if (name.equals("max") && cap == 0) {
                cap = nanos;
            } else if (exp && name.equals("mean") && mean < 0) {
                mean = nanos;
            } else if (!exp && name.equals("p50") && p50 < 0) {
                p50 = nanos;
            } else if (!exp && name.equals("p99") && p99 < 0) {
                p99 = nanos;
            } else {
                throw new IllegalArgumentException(EXPECTED);
            }
        }
        if (exp) {
            if (mean < 0) {
                throw new IllegalArgumentException(EXPECTED);
            }
            return new Latency(EXPONENTIAL, 0, 0, mean, 0, cap, t);
        }
        if (p50 < 0 || p99 < 0) {
            throw new IllegalArgumentException(EXPECTED);
        }
        if (p99 <= p50) {
            throw new IllegalArgumentException("must have p99 above p50, such as lognormal(p50=20ms,p99=400ms)");
        }
        double mu = StrictMath.log(p50); // StrictMath: the same parameters, so the same seeded delays, on every JDK
        return new Latency(LOGNORMAL, 0, 0, mu, (StrictMath.log(p99) - mu) / Z99, cap, t);
    }
}
