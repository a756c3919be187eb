package dev.chaosagent.junit;

import dev.chaosagent.AgentClassLoader;
import dev.chaosagent.jmx.AgentMXBean;
import dev.chaosagent.jmx.RuleMXBean;

import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The agent in this JVM, as the extension reaches it: by name through the platform MBean server
 * (the agent's classes live in its own class loader; only open types cross) and, for the
 * throwables it injects, through the dispatcher in the bootstrap class loader. Loads the agent
 * when the JVM was started without it.
 */
final class AgentAccess {
    static final String ORIGIN = "junit";
    private static final String DISPATCHER = "dev.chaosagent.bootstrap.Dispatcher";
    private static final long REGISTRATION_WAIT_MILLIS = 30_000;
    private static AgentAccess instance;
    private static IllegalStateException failure;

    private final MBeanServer server;
    private final ObjectName agent;
    private final Method recordThrowables;

    private AgentAccess(MBeanServer server, ObjectName agent, Method recordThrowables) {
        this.server = server;
        this.agent = agent;
        this.recordThrowables = recordThrowables;
    }

    /** The agent of this JVM, loaded first if it is not there. */
    static synchronized AgentAccess get() {
        if (failure != null) {
            throw failure; // said once per JVM: every later test fails with the same reason, without another helper
        }
        if (instance == null) {
            try {
                instance = connect();
            } catch (IllegalStateException e) {
                failure = e;
                throw e;
            }
        }
        return instance;
    }

    private static AgentAccess connect() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = name(AgentMXBean.OBJECT_NAME);
        // An agent started with the JVM defines its dispatcher at the first class it weaves: ask it
        // to now. One loaded through another class loader gets the same request from the attach.
        if (bootDispatcher() == null && !AgentClassLoader.needBootstrap()) {
            selfAttach();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_WAIT_MILLIS);
        while (!server.isRegistered(agent)) { // the agent registers its MXBeans at the poll after this created the server
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chaos-agent is in this JVM but registered no " + AgentMXBean.OBJECT_NAME + " within "
                        + REGISTRATION_WAIT_MILLIS + " ms; see its lines on stderr");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for chaos-agent", e);
            }
        }
        try {
            Method record = bootDispatcher().getMethod("recordThrowables", String.class, Queue.class);
            return new AgentAccess(server, agent, record);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the chaos-agent in this JVM is older than its JUnit extension (no"
                    + " Dispatcher.recordThrowables); use one jar for both", e);
        }
    }

    /** The dispatcher the agent defined in the bootstrap class loader, or null when it has not (yet). */
    private static Class<?> bootDispatcher() {
        try {
            return Class.forName(DISPATCHER, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Loads the agent into this JVM the way Byte Buddy's agent installer does: a JVM may not attach
     * to itself, so a helper process (the agent jar's own CLI, {@code attach <pid>}) does it.
     */
    private static void selfAttach() {
        String jar = agentJar();
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar, "attach", Long.toString(ProcessHandle.current().pid())));
        String output;
        int exit;
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
            b.environment().remove("JAVA_TOOL_OPTIONS"); // the helper must not load agents itself
            Process p = b.start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            exit = p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the helper that loads chaos-agent (" + String.join(" ", cmd) + "): "
                    + e + ". " + remedy(jar), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading chaos-agent", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("chaos-agent is not in this JVM and could not be loaded into it: " + output + ". "
                    + remedy(jar));
        }
        System.err.println("[chaos-agent] loaded into this test JVM by the JUnit extension (dynamic attach). "
                + remedy(jar));
    }

    private static String remedy(String jar) {
        return "Start the test JVM with the agent instead: add -javaagent:" + jar + " to Surefire's argLine"
                + " (JDK 21 and later also warn about an agent loaded at run time unless -XX:+EnableDynamicAgentLoading is set)";
    }

    /** The agent jar: the one this class was loaded from. */
    static String agentJar() {
        try {
            File f = new File(AgentAccess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!f.isFile()) {
                throw new IllegalStateException("the JUnit extension must come from the chaos-agent jar, not from " + f);
            }
            return f.getPath();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the chaos-agent jar is: " + e, e);
        }
    }

    boolean armed() {
        return (Boolean) attribute(agent, "Armed");
    }

    void setArmed(boolean armed) {
        invoke(agent, armed ? "arm" : "disarm", new Object[] {ORIGIN}, new String[] {String.class.getName()});
    }

    /** Defines or replaces a rule; the agent's one-line message when it is invalid. */
    void defineRule(String name, String definition) {
        invoke(agent, "defineRule", new Object[] {name, definition, ORIGIN},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
    }

    void removeRule(String name) {
        invoke(agent, "removeRule", new Object[] {name, ORIGIN}, new String[] {String.class.getName(), String.class.getName()});
    }

    long counter(String rule, String attribute) {
        return (Long) attribute(name(String.format(RuleMXBean.OBJECT_NAME_FORMAT, rule)), attribute);
    }

    /** Starts (or, with null, stops) putting the rule's injected throwables into {@code sink}. */
    void recordThrowables(String rule, Queue<Throwable> sink) {
        try {
            recordThrowables.invoke(null, rule, sink);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot record rule '" + rule + "': " + e, e);
        }
    }

    private Object attribute(ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (JMException e) {
            throw unwrap(e);
        }
    }

    private void invoke(ObjectName name, String operation, Object[] args, String[] signature) {
        try {
            server.invoke(name, operation, args, signature);
        } catch (JMException e) {
            throw unwrap(e);
        } catch (RuntimeMBeanException e) {
            throw unwrap(e);
        }
    }

    /** The agent's own exception (its one-line message) out of the MBean server's wrappers. */
    private static RuntimeException unwrap(Exception e) {
        Throwable t = e;
        while ((t instanceof MBeanException || t instanceof RuntimeMBeanException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException ? (RuntimeException) t : new IllegalStateException(t.getMessage(), t);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (JMException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
