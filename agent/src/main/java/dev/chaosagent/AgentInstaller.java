package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * Ordered start-up. First the dispatcher classes go into the bootstrap class loader; only then
 * does {@link Startup} run, the first class allowed to mention them (see {@link BootstrapDefiner}).
 * If they were there already, an agent runs in this JVM: a second {@code -javaagent} or attach
 * starts nothing (no second control thread, no second weaving) and at most hands over its
 * config file.
 */
public final class AgentInstaller implements AgentEntry {
    static {
        AgentClassLoader.handOver(new AgentInstaller()); // how the entry point gets hold of us
    }

    private AgentInstaller() {
    }

    @Override
    public void install(String args, Instrumentation inst, boolean attached, long started) throws Exception {
        String route = BootstrapDefiner.define(inst);
        if (BootstrapDefiner.ALREADY_PRESENT.equals(route)) {
            Startup.again(args, attached);
            return;
        }
        Startup.run(args, inst, attached, route, started, System.nanoTime());
    }
}
