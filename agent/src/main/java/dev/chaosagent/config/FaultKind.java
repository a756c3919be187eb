package dev.chaosagent.config;

/** What a rule does to a call it hits. */
public enum FaultKind {
    EXCEPTION("exception", false, true),
    LATENCY("latency", true, false),
    KILL("kill", false, false),
    LATENCY_EXCEPTION("latency+exception", true, true),
    /** Blocks until the rule is disabled or removed, the agent disarms, or the thread is interrupted. */
    HANG("hang", false, false),
    /** Returns the configured value at once, without running the method's body. */
    RETURN("return", false, false);

    private final String text;
    private final boolean sleeps;
    private final boolean throwsException;

    FaultKind(String text, boolean sleeps, boolean throwsException) {
        this.text = text;
        this.sleeps = sleeps;
        this.throwsException = throwsException;
    }

    public String text() {
        return text;
    }

    /** Whether it sleeps for a configured {@code latency}. */
    public boolean sleeps() {
        return sleeps;
    }

    public boolean throwsException() {
        return throwsException;
    }

    public static FaultKind parse(String value) {
        for (FaultKind k : values()) {
            if (k.text.equals(value)) {
                return k;
            }
        }
        return null;
    }
}
