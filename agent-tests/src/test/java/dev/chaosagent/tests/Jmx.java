package dev.chaosagent.tests;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

/**
 * Connects to a child JVM the way an operator's tool does: through the attach API's local
 * connector, or the JVM's own remote connector. Uses plain JMX calls by ObjectName and attribute
 * name, never the agent's classes, as jconsole or jmxterm would.
 */
public final class Jmx {
    public static final String AGENT = "dev.chaosagent:type=Agent";

    private Jmx() {
    }

    static String rule(String name) {
        return "dev.chaosagent:type=Rule,name=" + name;
    }

    public static JMXConnector attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    static JMXConnector remote(int port, String user, String password) throws IOException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    /** The agent registers its MXBeans at the control thread's first poll: wait for that, bounded. */
    public static void awaitRegistered(MBeanServerConnection c, String name, Duration timeout) throws Exception {
        ObjectName on = new ObjectName(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.isRegistered(on)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not registered within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    static Object get(MBeanServerConnection c, String name, String attribute) throws Exception {
        return c.getAttribute(new ObjectName(name), attribute);
    }

    /** An attribute's value for a failure message: never throws. */
    static String show(MBeanServerConnection c, String name, String attribute) {
        try {
            Object value = get(c, name, attribute);
            return value instanceof Object[] ? java.util.Arrays.toString((Object[]) value) : String.valueOf(value);
        } catch (Exception e) {
            return e.toString();
        }
    }

    static void set(MBeanServerConnection c, String name, String attribute, Object value) throws Exception {
        c.setAttribute(new ObjectName(name), new javax.management.Attribute(attribute, value));
    }

    public static Object invoke(MBeanServerConnection c, String name, String operation, Object... args) throws Exception {
        String[] signature = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            signature[i] = String.class.getName();
        }
        return c.invoke(new ObjectName(name), operation, args, signature);
    }

    /** The child's system property as the JVM's own Runtime MXBean reports it ("" when unset). */
    static String systemProperty(MBeanServerConnection c, String key) throws Exception {
        javax.management.openmbean.TabularData all = (javax.management.openmbean.TabularData) c.getAttribute(
                new ObjectName("java.lang:type=Runtime"), "SystemProperties");
        javax.management.openmbean.CompositeData row = all.get(new Object[] {key});
        return row == null ? "" : (String) row.get("value");
    }

    static boolean registered(MBeanServerConnection c, String name) throws Exception {
        return c.isRegistered(new ObjectName(name));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The message of the root cause: what a JMX client shows its user. */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
