package dev.chaosagent.bootstrap;

/** The most recent injection of a rule: when, on which thread, into which method. Immutable. */
public final class LastInjection {
    private final long epochMillis;
    private final String thread;
    private final String method;

    LastInjection(long epochMillis, String thread, String method) {
        this.epochMillis = epochMillis;
        this.thread = thread;
        this.method = method;
    }

    public long epochMillis() {
        return epochMillis;
    }

    public String thread() {
        return thread;
    }

    public String method() {
        return method;
    }
}
