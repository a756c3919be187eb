package dev.chaosagent.demo;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chaos agent as this process sees it: only through the platform MBean server and the
 * agent's public JMX names, exactly as an operator's tool would. No compile-time dependency.
 */
final class AgentHandle {
    private static final String AGENT = "dev.chaosagent:type=Agent";
    private static final String RULES = "dev.chaosagent:type=Rule,*";

    private final MBeanServer server;
    private final ObjectName agent;

    private AgentHandle(MBeanServer server, ObjectName agent) {
        this.server = server;
        this.agent = agent;
    }

    /**
     * The agent, or null when none is attached. It registers its MXBeans at its first poll
     * (chaos.poll after start-up), so this waits up to {@code waitMillis} for them.
     */
    static AgentHandle find(long waitMillis) throws JMException, InterruptedException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AGENT);
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline || !agentOnCommandLine()) {
                return null;
            }
            Thread.sleep(50);
        }
        return new AgentHandle(server, name);
    }

    /** Whether this JVM was started with a java agent at all (else there is nothing to wait for). */
    private static boolean agentOnCommandLine() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent:")) {
                return true;
            }
        }
        return false;
    }

    void arm() throws JMException {
        server.invoke(agent, "arm", new Object[0], new String[0]);
    }

    void disarm() throws JMException {
        server.invoke(agent, "disarm", new Object[0], new String[0]);
    }

    String status() throws JMException {
        return (String) server.getAttribute(agent, "Status");
    }

    /** Injections so far, by rule name. */
    Map<String, Long> injections() throws JMException {
        Map<String, Long> byRule = new TreeMap<>();
        for (ObjectName rule : server.queryNames(new ObjectName(RULES), null)) {
            byRule.put(rule.getKeyProperty("name"), (Long) server.getAttribute(rule, "Injections"));
        }
        return byRule;
    }

    /** The rule's fault kind ({@code exception}, {@code latency}, {@code kill}, ...). */
    String fault(String rule) throws JMException {
        return (String) server.getAttribute(new ObjectName("dev.chaosagent:type=Rule,name=" + rule), "Fault");
    }
}
