package dev.chaosagent;

import java.lang.instrument.Instrumentation;

/**
 * Ordered start-up. If an agent runs in this JVM already (installed through these classes, or its
 * dispatcher classes are in the bootstrap class loader), a second {@code -javaagent} or attach
 * starts nothing (no second control thread, no second weaving) and at most hands over its config
 * file. Otherwise {@link Startup} runs, with what defines the dispatcher's classes when they are
 * first needed (see {@link BootstrapDefiner}); {@link AgentClassLoader} runs it too, before it
 * hands one of them out.
 */
public final class AgentInstaller implements AgentEntry {
    static {
        AgentClassLoader.handOver(new AgentInstaller()); // how the entry point gets hold of us
    }

    private AgentInstaller() {
    }

    @Override
    public void install(String args, Instrumentation inst, boolean attached, long started) {
        if (Startup.installed() || BootstrapDefiner.present()) {
            Startup.again(args, attached);
            return;
        }
        BootstrapDefiner definer = new BootstrapDefiner(inst);
        AgentClassLoader.whenBootstrapNeeded(definer);
        Startup.run(args, inst, attached, definer, started);
    }
}
