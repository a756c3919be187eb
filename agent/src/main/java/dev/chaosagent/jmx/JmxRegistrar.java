package dev.chaosagent.jmx;

import dev.chaosagent.control.AfterStartUp;
import dev.chaosagent.control.Applier;
import dev.chaosagent.control.RuleSetListener;
import dev.chaosagent.plan.DispatcherGate;
import org.slf4j.Logger;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Registers the MXBeans in the platform MBean server: the Agent bean, and one Rule bean per
 * rule for as long as the rule exists. Runs on the control thread once the application's
 * start-up is over, or sooner once an MBean server exists in the JVM (see {@link #wantedNow()}),
 * never in premain: creating the platform MBean server loads hundreds of classes and takes
 * hundreds of milliseconds of processor time. The agent opens no port of its own; the beans are
 * reached by local attach or the JVM's own connector.
 */
public final class JmxRegistrar implements AfterStartUp, RuleSetListener {
    private final Applier applier;
    private final String version;
    private final Logger log;
    private final DispatcherGate gate;
    private MBeanServer server;

    public JmxRegistrar(Applier applier, String version, Logger log) {
        this.applier = applier;
        this.gate = applier.gate();
        this.version = version;
        this.log = log;
    }

    /**
     * Whether some MBean server exists: nothing reads MBeans without one, and whatever reads them
     * (a JMX client attaching, which starts the JVM's local connector; Jolokia; the Prometheus JMX
     * exporter; the JVM's remote connector; the JUnit extension) creates the platform MBean server
     * first, through {@link MBeanServerFactory}, which lists it. Asking creates nothing.
     */
    @Override
    public boolean wantedNow() {
        try {
            return !MBeanServerFactory.findMBeanServer(null).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return true; // no way to tell (no java.management, a security manager): register, and say what fails
        }
    }

    @Override
    public void run() {
        try {
            server = ManagementFactory.getPlatformMBeanServer();
            register(new ExemptMBean<>(new AgentControl(applier, version), AgentMXBean.class, gate),
                    new ObjectName(AgentMXBean.OBJECT_NAME));
            applier.addListener(this);
            log.debug("MXBeans registered: {} and {} rule{}", AgentMXBean.OBJECT_NAME, applier.plan().rules().size(),
                    applier.plan().rules().size() == 1 ? "" : "s");
        } catch (Exception | LinkageError e) {
            log.error("cannot register the JMX MXBeans ({}); the agent runs on without JMX control", e.toString());
        }
    }

    @Override
    public void rulesChanged(List<String> added, List<String> removed) {
        for (String name : removed) {
            try {
                ObjectName bean = ruleName(name);
                if (server.isRegistered(bean)) { // asked, not caught: a catch of a JMX exception type costs premain its classes
                    server.unregisterMBean(bean);
                }
            } catch (Exception | LinkageError e) {
                log.error("cannot unregister the MXBean of rule '{}' ({})", name, e.toString());
            }
        }
        for (String name : added) {
            try {
                register(new ExemptMBean<>(new RuleControl(applier, name), RuleMXBean.class, gate), ruleName(name));
            } catch (Exception | LinkageError e) {
                log.error("cannot register the MXBean of rule '{}' ({}); the rule works without it", name, e.toString());
            }
        }
    }

    private static ObjectName ruleName(String rule) throws Exception {
        return new ObjectName(String.format(RuleMXBean.OBJECT_NAME_FORMAT, rule));
    }

    private void register(Object bean, ObjectName name) throws Exception {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(bean, name);
    }
}
