package dev.chaosagent;

import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigKeys;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.config.SplitMix;
import dev.chaosagent.config.TargetPattern;
import dev.chaosagent.control.Applier;
import dev.chaosagent.control.Poller;
import dev.chaosagent.control.Reporter;
import dev.chaosagent.jmx.JmxRegistrar;
import dev.chaosagent.log.AgentLog;
import dev.chaosagent.plan.DispatcherGate;
import dev.chaosagent.plan.Plan;
import dev.chaosagent.plan.PlanCompiler;
import dev.chaosagent.plan.WeaveRecord;
import dev.chaosagent.plan.Weaving;
import dev.chaosagent.weave.WeavingTransformer;
import org.slf4j.Logger;

import java.lang.instrument.Instrumentation;

/**
 * Start-up: read and validate the configuration, compile the first plan, install the transformer,
 * print the banner and start the control thread. Does only what must happen before {@code main}:
 * no JUL, no MBean server, no scan of loaded classes unless a rule names JDK classes or the agent
 * was attached to a running JVM, and no dispatcher classes until the first class is woven (see
 * {@link DispatcherGate}) unless one of those two needs them at once, or the agent runs from a
 * development build (without {@link AgentClassLoader}, whose loading would define them from the
 * class path into the system class loader).
 */
final class Startup {
    private static final String[] JDK_ROOTS = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "org.xml.", "org.w3c.", "org.ietf."};
    /** The agent running in this JVM, for a second load to hand its config file to and to make sure its dispatcher is there. */
    private static volatile Applier running;

    private Startup() {
    }

    /** Whether an agent was installed through this class: a second load then starts nothing. */
    static boolean installed() {
        return running != null;
    }

    /**
     * @param definer defines the dispatcher's classes in the bootstrap class loader, when first needed
     * @param started when premain began (System.nanoTime)
     */
    static void run(String args, Instrumentation inst, boolean attached, BootstrapDefiner definer, long started) {
        DispatcherGate gate = new DispatcherGate(definer);
        boolean ownLoader = Startup.class.getClassLoader() instanceof AgentClassLoader;
        if (attached || !ownLoader) {
            gate.ensure(); // attached: it weaves loaded classes at once, and the JUnit extension waits for the dispatcher
        }
        install(args, inst, attached, gate, definer, started);
    }

    private static void install(String args, Instrumentation inst, boolean attached, DispatcherGate gate, BootstrapDefiner definer,
                                long started) {
        ConfigSources sources = new ConfigSources(args);
        ConfigSources.Snapshot snapshot = sources.read();
        ConfigParser.Outcome outcome = ConfigParser.parse(snapshot.values(), null, freshSeed());
        ChaosConfig config = outcome.config();
        long configDone = System.nanoTime();
        Logger log = AgentLog.start(config.logLevel());
        long logDone = System.nanoTime();

        boolean jdkTargets = namesJdkClasses(config);
        if (jdkTargets) {
            gate.ensure(); // loaded JDK classes are woven below
        }
        int agentWork = gate.enterAgentWork(); // premain's or the attach thread's work is the agent's (once anything is woven)
        try {
            start(inst, attached, gate, sources, snapshot, outcome, log, jdkTargets);
        } finally {
            gate.leaveAgentWork(agentWork);
        }
        if (log.isDebugEnabled()) {
            long end = System.nanoTime();
            String route = definer.route();
            log.debug("start-up took {} us: configuration {} us, logger {} us, the rest {} us; dispatcher classes {}",
                    (end - started) / 1000, (configDone - started) / 1000, (logDone - configDone) / 1000, (end - logDone) / 1000,
                    route == null ? "not defined yet (they are at the first class woven)" : route);
        }
    }

    private static void start(Instrumentation inst, boolean attached, DispatcherGate gate, ConfigSources sources,
                              ConfigSources.Snapshot snapshot, ConfigParser.Outcome outcome, Logger log, boolean jdkTargets) {
        ChaosConfig config = outcome.config();
        WeaveRecord record = new WeaveRecord();
        Reporter reporter = new Reporter(log, record, gate);
        reporter.sourceProblems(snapshot.problems());
        reporter.configProblems(outcome.problems(), snapshot.origins());
        Plan plan = PlanCompiler.compile(config, Plan.EMPTY);
        gate.publish(plan);
        ClassLoader own = Startup.class.getClassLoader();
        String build = own instanceof AgentClassLoader ? ((AgentClassLoader) own).build() : null; // a development build keeps no cache
        WeavingTransformer transformer = new WeavingTransformer(inst, ChaosAgent.class.getProtectionDomain(), gate,
                config.weaveCache(), ConfigKeys.WEAVE_CACHE.name(), build, record, reporter);
        transformer.startWith(plan);
        Applier applier = new Applier(sources, snapshot, config, plan, transformer, gate, record, reporter);
        // The entry point's package is the system class loader's, defined from the jar's manifest;
        // ours (AgentClassLoader's) carries no manifest attributes.
        String manifestVersion = ChaosAgent.class.getPackage().getImplementationVersion();
        String version = manifestVersion == null ? "(dev build)" : manifestVersion;
        reporter.banner(config, plan, version);
        warnIfRemoteJmxIsOpen(log);

        inst.addTransformer(transformer, true);
        Weaving.Retransformation loaded = null;
        if (attached) {
            loaded = transformer.retransformLoaded(false);
        } else if (jdkTargets) {
            loaded = transformer.retransformLoaded(true);
        }
        if (loaded != null) {
            for (String failure : loaded.failures()) {
                log.error(failure);
            }
        }
        running = applier;
        new Poller(applier, log, new JmxRegistrar(applier, version, log), transformer).start();
    }

    /**
     * A second {@code -javaagent} or attach of the agent into this JVM: it starts nothing. With
     * a config file as its argument, the running agent switches to that file.
     */
    static void again(String args, boolean attached) {
        String how = attached ? "attach" : "-javaagent";
        Applier applier = running;
        if (applier == null) {
            // Its dispatcher is in the boot loader, but no agent of this class loader runs: one was
            // loaded through another class loader, or an earlier load failed after defining it.
            System.err.println("[chaos-agent] already loaded into this JVM (through another class loader, or by a load"
                    + " that failed); this second " + how + " starts nothing");
            return;
        }
        Logger log = AgentLog.get();
        try {
            applier.gate().ensure(); // what a second load (the JUnit extension's attach among them) may come for
        } catch (IllegalStateException e) {
            log.error(e.getMessage());
        }
        String file = args == null ? "" : args.trim();
        if (file.isEmpty()) {
            log.info("chaos-agent is already running in this JVM; this second {} starts nothing", how);
            return;
        }
        log.info("chaos-agent is already running in this JVM; this second {} starts nothing and switches it to the"
                + " config file {}", how, file);
        try {
            applier.setProperty(ConfigKeys.CONFIG.name(), file, how);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
        }
    }

    /**
     * The MXBeans can arm faults: a JVM that serves remote JMX without authentication lets anyone
     * who reaches the port do that. Say so loudly (the README shows the password-file setup).
     */
    private static void warnIfRemoteJmxIsOpen(Logger log) {
        String port = System.getProperty("com.sun.management.jmxremote.port");
        if (port != null && "false".equalsIgnoreCase(System.getProperty("com.sun.management.jmxremote.authenticate"))) {
            log.warn("!!! this JVM serves remote JMX on port {} WITHOUT AUTHENTICATION: anyone who can reach that port can arm"
                    + " chaos-agent and inject faults. Set com.sun.management.jmxremote.authenticate=true with password and"
                    + " access files (see the README's JMX section) !!!", port);
        }
    }

    private static boolean namesJdkClasses(ChaosConfig config) {
        for (RuleConfig r : config.rules().values()) {
            for (TargetPattern p : r.targets()) {
                if (p.explicitPackage()) {
                    for (String root : JDK_ROOTS) {
                        if (p.text().startsWith(root)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static long freshSeed() {
        return SplitMix.finalise(System.nanoTime() ^ (System.currentTimeMillis() * SplitMix.GOLDEN));
    }
}
