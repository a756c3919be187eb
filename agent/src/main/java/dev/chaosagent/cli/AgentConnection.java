package dev.chaosagent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.chaosagent.jmx.AgentMXBean;
import dev.chaosagent.jmx.RuleMXBean;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A connection to one JVM through the attach API and that JVM's local JMX connector, which the
 * attach API starts on demand: same OS user only, no port opened, no JDK-module flags needed.
 */
final class AgentConnection implements AutoCloseable {
    /** How long to wait for the agent to register its MXBeans (at its first poll after the connection created the MBean server). */
    private static final long REGISTRATION_WAIT_MS = 5_000;

    private final TargetJvm jvm;
    private final VirtualMachine vm;
    private JMXConnector connector;
    private MBeanServerConnection server;

    private AgentConnection(TargetJvm jvm, VirtualMachine vm) {
        this.jvm = jvm;
        this.vm = vm;
    }

    static AgentConnection open(TargetJvm jvm) throws CliException {
        try {
            return new AgentConnection(jvm, VirtualMachine.attach(jvm.pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "cannot attach to JVM " + jvm + ": " + e.getMessage()
                    + " (the CLI reaches JVMs of the same OS user only)");
        }
    }

    private MBeanServerConnection server() throws CliException {
        if (server == null) {
            try {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
                server = connector.getMBeanServerConnection();
            } catch (IOException e) {
                throw new CliException(CliException.USAGE_OR_UNREACHABLE, "cannot reach the local JMX connector of JVM " + jvm
                        + ": " + e.getMessage());
            }
        }
        return server;
    }

    /** Whether the agent's MXBean is there now. */
    boolean agentRegistered() throws CliException {
        try {
            return server().isRegistered(new ObjectName(AgentMXBean.OBJECT_NAME));
        } catch (IOException | MalformedObjectNameException e) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "lost JVM " + jvm + ": " + e.getMessage());
        }
    }

    /** Waits (bounded) for the agent's MXBean; false if it never came. */
    boolean awaitAgent() throws CliException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_WAIT_MS);
        while (!agentRegistered()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The Agent MXBean, once it is registered; a clear error if this JVM runs no agent. */
    AgentMXBean agent() throws CliException {
        if (!awaitAgent()) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "JVM " + jvm + " runs no chaos-agent; load it with:"
                    + " java -jar chaos-agent.jar attach " + jvm.pid + " [<config-file>]");
        }
        return JMX.newMXBeanProxy(server, name(AgentMXBean.OBJECT_NAME), AgentMXBean.class);
    }

    RuleMXBean rule(String name) throws CliException {
        return JMX.newMXBeanProxy(server(), name(String.format(RuleMXBean.OBJECT_NAME_FORMAT, name)), RuleMXBean.class);
    }

    /**
     * Whether the JVM refuses agents loaded at run time: JDK 21+ started with
     * {@code -XX:-EnableDynamicAgentLoading} (JEP 451). Read from the JVM's own flag, so the CLI
     * can say so before trying.
     */
    boolean refusesDynamicAgents() {
        try {
            Object option = server().invoke(name("com.sun.management:type=HotSpotDiagnostic"), "getVMOption", new Object[] {"EnableDynamicAgentLoading"}, new String[] {String.class.getName()});
            Object value = ((javax.management.openmbean.CompositeData) option).get("value");
            return "false".equals(value);
        } catch (Exception e) {
            return false; // the flag does not exist before JDK 21: dynamic loading is allowed
        }
    }

    /** Loads the agent jar into the JVM (dynamic attach). */
    void loadAgent(String jar, String argument) throws CliException {
        try {
            vm.loadAgent(jar, argument);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "JVM " + jvm + " did not load the agent: " + e
                    + (refusesDynamicAgents() ? "; " + DYNAMIC_LOADING_REMEDY : ""));
        }
    }

    static final String DYNAMIC_LOADING_REMEDY = "it was started with -XX:-EnableDynamicAgentLoading, which forbids loading"
            + " agents into a running JVM: start it with -javaagent:chaos-agent.jar (the primary mode), or with"
            + " -XX:+EnableDynamicAgentLoading to allow attach";

    private static ObjectName name(String text) throws CliException {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new CliException(CliException.USAGE_OR_UNREACHABLE, "bad MBean name " + text);
        }
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the JVM went away; nothing to close
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // same
        }
    }
}
