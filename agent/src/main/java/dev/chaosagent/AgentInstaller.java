package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * Ordered start-up. First the dispatcher classes go into the bootstrap class loader; only then
 * does {@link Startup} run, the first class allowed to mention them (see {@link BootstrapDefiner}).
 */
final class AgentInstaller {
    private AgentInstaller() {
    }

    static void install(String args, Instrumentation inst, boolean attached) throws Exception {
        long start = System.nanoTime();
        String route = BootstrapDefiner.define(inst);
        Startup.run(args, inst, attached, route, start, System.nanoTime());
    }
}
