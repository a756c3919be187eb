package dev.chaosagent.bootstrap;

/**
 * A rule's {@code threads} condition: globs ({@code *} any run of characters, {@code ?} one) on
 * the calling thread's name. Each thread remembers its last answer with the name it was for, so a
 * call pays a glob match only when its thread's name changed; a new configuration brings a new
 * condition and with it a fresh memory.
 */
public final class ThreadCondition {
    private final Globs globs;
    /** Per thread: {the name last matched (compared by identity), Boolean.TRUE or FALSE}. */
    private final ThreadLocal<Object[]> last = new ThreadLocal<>();

    public ThreadCondition(String[] globs) {
        this.globs = new Globs(globs);
    }

    boolean matchesCurrentThread() {
        String name = Thread.currentThread().getName();
        Object[] memo = last.get();
        if (memo != null && memo[0] == name) {
            return memo[1] == Boolean.TRUE;
        }
        boolean matches = globs.matches(name);
        last.set(new Object[] {name, matches ? Boolean.TRUE : Boolean.FALSE});
        return matches;
    }
}
