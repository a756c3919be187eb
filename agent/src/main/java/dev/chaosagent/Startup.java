package dev.chaosagent;

import dev.chaosagent.bootstrap.Dispatcher;
import dev.chaosagent.config.ChaosConfig;
import dev.chaosagent.config.ConfigParser;
import dev.chaosagent.config.ConfigSources;
import dev.chaosagent.config.RuleConfig;
import dev.chaosagent.config.TargetPattern;
import dev.chaosagent.control.ControlLoop;
import dev.chaosagent.jmx.JmxRegistrar;
import dev.chaosagent.log.AgentLog;
import dev.chaosagent.plan.PlanCompiler;
import dev.chaosagent.plan.RuleTarget;
import dev.chaosagent.weave.WeavingTransformer;
import org.slf4j.Logger;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Start-up once the dispatcher exists: read and validate the configuration, publish the first
 * dispatch table, install the transformer, print the banner and start the control thread. Does
 * only what must happen before {@code main}: no JUL, no MBean server, no scan of loaded classes
 * unless a rule names JDK classes or the agent was attached to a running JVM.
 */
final class Startup {
    private static final String[] JDK_ROOTS = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "org.xml.", "org.w3c.", "org.ietf."};

    private Startup() {
    }

    /**
     * @param started    when premain began (System.nanoTime)
     * @param bootDone   when the dispatcher classes were in place
     */
    static void run(String args, Instrumentation inst, boolean attached, String bootRoute, long started, long bootDone) {
        ConfigSources sources = new ConfigSources(args);
        ConfigSources.Snapshot snapshot = sources.read();
        ConfigParser.Outcome outcome = ConfigParser.parse(snapshot.values(), null, freshSeed());
        ChaosConfig config = outcome.config();
        long configDone = System.nanoTime();
        Logger log = AgentLog.start(config.logLevel());
        long logDone = System.nanoTime();

        List<RuleTarget> targets = PlanCompiler.targets(config);
        Dispatcher.publish(PlanCompiler.table(config));
        WeavingTransformer transformer = new WeavingTransformer(inst, targets, log);
        ControlLoop loop = new ControlLoop(sources, config, targets, transformer, log);
        loop.reportStartup(snapshot, outcome);
        String manifestVersion = Startup.class.getPackage().getImplementationVersion();
        String version = manifestVersion == null ? "(dev build)" : manifestVersion;
        banner(log, config, version);
        warnIfRemoteJmxIsOpen(log);
        loop.onFirstPoll(new JmxRegistrar(loop, version, log));

        inst.addTransformer(transformer, true);
        if (attached) {
            transformer.retransformLoaded(false);
        } else if (namesJdkClasses(config)) {
            transformer.retransformLoaded(true);
        }
        loop.start();
        if (log.isDebugEnabled()) {
            long end = System.nanoTime();
            log.debug("start-up took {} us: dispatcher classes {} us ({}), configuration {} us, logger {} us, the rest {} us",
                    (end - started) / 1000, (bootDone - started) / 1000, bootRoute, (configDone - bootDone) / 1000,
                    (logDone - configDone) / 1000, (end - logDone) / 1000);
        }
    }

    private static void banner(Logger log, ChaosConfig config, String version) {
        log.info("chaos-agent {} started: {}, seed {}{}, poll {}, {} rule{}{}", version,
                config.armed() ? "ARMED" : "disarmed (set chaos.armed=true to arm)", config.seed(),
                config.seedConfigured() ? "" : " (random; set chaos.seed to repeat this run)",
                ConfigParser.showMillis(config.pollMillis()), config.rules().size(), config.rules().size() == 1 ? "" : "s",
                config.configFile() == null ? "" : ", config file " + config.configFile());
        for (RuleConfig r : config.rules().values()) {
            log.info("  {}", ControlLoop.describeRule(r));
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
        long z = System.nanoTime() ^ (System.currentTimeMillis() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
