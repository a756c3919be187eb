package dev.chaosagent.bootstrap;

/** Globs: {@code *} any run of characters, {@code ?} one character; a text matches if any glob matches all of it. */
public final class Globs {
    private final String[] globs;

    public Globs(String[] globs) {
        this.globs = globs.clone();
    }

    /** Whether any glob matches the whole text. */
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
