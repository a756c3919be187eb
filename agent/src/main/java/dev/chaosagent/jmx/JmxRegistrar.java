package dev.chaosagent.jmx;

import dev.chaosagent.control.ControlLoop;
import dev.chaosagent.plan.RuleTarget;
import org.slf4j.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers the MXBeans in the platform MBean server. Runs on the control thread at its first
 * poll, never in premain: creating the platform MBean server loads hundreds of classes. The agent
 * opens no port of its own; the beans are reached by local attach or the JVM's own connector.
 */
public final class JmxRegistrar implements Runnable {
    private final ControlLoop loop;
    private final String version;
    private final Logger log;

    public JmxRegistrar(ControlLoop loop, String version, Logger log) {
        this.loop = loop;
        this.version = version;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            register(server, new AgentControl(loop, version), new ObjectName(AgentMXBean.OBJECT_NAME));
            for (RuleTarget t : loop.targets()) {
                register(server, new RuleControl(loop, t), new ObjectName(String.format(RuleMXBean.OBJECT_NAME_FORMAT, t.name())));
            }
            log.debug("MXBeans registered: {} and {} rule{}", AgentMXBean.OBJECT_NAME, loop.targets().size(),
                    loop.targets().size() == 1 ? "" : "s");
        } catch (Exception | LinkageError e) {
            log.error("cannot register the JMX MXBeans ({}); the agent runs on without JMX control", e.toString());
        }
    }

    private static void register(MBeanServer server, Object bean, ObjectName name) throws Exception {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name); // a second agent instance in this JVM: the newest wins
        }
        server.registerMBean(bean, name);
    }
}
