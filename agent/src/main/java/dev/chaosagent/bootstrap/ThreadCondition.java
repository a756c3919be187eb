package dev.chaosagent.bootstrap;

/**
 * A rule's {@code threads} condition: globs ({@code *} any run of characters, {@code ?} one) on
 * the calling thread's name. Each thread remembers its last answer per rule slot, with the
 * condition and the name it was for, in its own {@link CallState}: a call pays a glob match only
 * when its thread's name changed, and a new configuration brings a new condition and with it a
 * fresh answer.
 */
public final class ThreadCondition {
    private final Globs globs;

    public ThreadCondition(String[] globs) {
        this.globs = new Globs(globs);
    }

    /** Whether the calling thread, whose state is {@code state}, meets this condition of rule slot {@code slot}. */
    boolean matchesCurrentThread(CallState state, int slot) {
        int known = state.knownThreadAnswer(this, slot);
        if (known != CallState.UNKNOWN) {
            return known == CallState.YES;
        }
        String name = Thread.currentThread().getName();
        boolean matches = globs.matches(name);
        CallState.ConditionMemo memo = state.conditionMemo(slot);
        memo.condition = this;
        memo.name = name;
        memo.matches = matches;
        return matches;
    }
}
