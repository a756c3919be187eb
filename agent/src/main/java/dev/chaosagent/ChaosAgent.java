package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point named by the manifest. It does one thing: hand over to {@link AgentInstaller}
 * inside {@code catch (Throwable)}, because an exception escaping {@code premain} aborts the JVM.
 */
public final class ChaosAgent {
    private ChaosAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            AgentInstaller.install(args, inst, attached);
        } catch (Throwable t) {
            System.err.println("[chaos-agent] disabled: " + t);
        }
    }
}
