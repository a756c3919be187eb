package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point named by the manifest. It does one thing: hand over to the installer that
 * {@link AgentClassLoader} loads, inside {@code catch (Throwable)}, because an exception escaping
 * {@code premain} aborts the JVM.
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
        long started = System.nanoTime();
        try {
            AgentClassLoader.entry().install(args, inst, attached, started);
        } catch (Throwable t) {
            System.err.println("[chaos-agent] disabled: " + t);
        }
    }
}
