package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * What {@link ChaosAgent} hands the start-up to: implemented by the installer that
 * {@link AgentClassLoader} loads, so the entry point can call it without reflection.
 */
public interface AgentEntry {
    /** @param started when the entry point began, from {@link System#nanoTime()} */
    void install(String args, Instrumentation inst, boolean attached, long started) throws Exception;
}
