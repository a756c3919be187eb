package dev.chaosagent.jmx;

import javax.security.auth.Subject;
import java.lang.reflect.Method;
import java.security.Principal;

/**
 * Who is calling an MXBean, for the audit: {@code jmx}, or the tool's own name ({@code cli}),
 * followed by the JMX principal when the JVM's JMX authentication supplies one ({@code jmx alice}).
 */
final class Callers {
    private static final int LONGEST_TOOL_NAME = 40;

    private Callers() {
    }

    /** The origin of the current call: {@code tool} (checked) or {@code jmx}, then the principal's name if any. */
    static String origin(String tool) {
        String who = tool == null ? "jmx" : checkedTool(tool);
        String principal = principal();
        return principal == null ? who : who + " " + principal;
    }

    private static String checkedTool(String tool) {
        String t = tool.trim();
        boolean ok = !t.isEmpty() && t.length() <= LONGEST_TOOL_NAME;
        for (int i = 0; ok && i < t.length(); i++) {
            char c = t.charAt(i);
            ok = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
        }
        if (!ok) {
            throw new IllegalArgumentException("origin '" + tool + "' must be a tool's name of letters, digits, '-', '_' and '.',"
                    + " at most " + LONGEST_TOOL_NAME + " characters; nothing changes");
        }
        return t;
    }

    /**
     * The authenticated JMX subject's first principal, or null. JDK 18+ has {@code Subject.current()},
     * which is the only working way from JDK 23 on; JDK 17 has only the access-control context.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static String principal() {
        Subject subject;
        try {
            Method current = Subject.class.getMethod("current");
            subject = (Subject) current.invoke(null);
        } catch (NoSuchMethodException e) {
            try {
                subject = Subject.getSubject(java.security.AccessController.getContext());
            } catch (RuntimeException unsupported) {
                return null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        if (subject == null) {
            return null;
        }
        for (Principal p : subject.getPrincipals()) {
            return p.getName();
        }
        return null;
    }
}
