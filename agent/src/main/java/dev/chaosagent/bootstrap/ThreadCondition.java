package dev.chaosagent.bootstrap;

/**
 * A rule's {@code threads} condition: globs ({@code *} any run of characters, {@code ?} one) on
 * the calling thread's name. Each thread remembers its last answer with the name it was for, so a
 * call pays a glob match only when its thread's name changed; a new configuration brings a new
 * condition and with it a fresh memory.
 */
public final class ThreadCondition {
    private final String[] globs;
    /** Per thread: {the name last matched (compared by identity), Boolean.TRUE or FALSE}. */
    private final ThreadLocal<Object[]> last = new ThreadLocal<>();

    public ThreadCondition(String[] globs) {
        this.globs = globs.clone();
    }

    boolean matchesCurrentThread() {
        String name = Thread.currentThread().getName();
        Object[] memo = last.get();
        if (memo != null && memo[0] == name) {
            return memo[1] == Boolean.TRUE;
        }
        boolean matches = matches(name);
        last.set(new Object[] {name, matches ? Boolean.TRUE : Boolean.FALSE});
        return matches;
    }

    /** Whether any glob matches the whole name. */
    public boolean matches(String name) {
        for (String g : globs) {
            if (glob(g, name)) {
                return true;
            }
        }
        return false;
    }

    /** Wildcard matching with one backtracking point (the last '*'): linear in practice. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
