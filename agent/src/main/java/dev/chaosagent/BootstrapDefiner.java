package dev.chaosagent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the {@code dev.chaosagent.bootstrap} classes into the bootstrap class loader before
 * anything references them, so woven code in any class loader reaches the same dispatcher. It
 * runs once, when the agent first needs them: at the first class it weaves, or earlier when
 * something else reaches them ({@link AgentClassLoader} runs it before handing one out). A JVM
 * whose rules weave nothing never runs it, and saves its cost (opening the module is most of it).
 *
 * <p>Preferred route: open {@code jdk.internal.misc} to this module with
 * {@link Instrumentation#redefineModule} and define the classes with {@code Unsafe.defineClass}
 * and a null loader, called directly ({@link InternalDefiner}) or else through reflection. It prints nothing and keeps class data sharing on. The fallback, appending a
 * jar to the boot class path, makes the JVM print "Sharing is only supported for boot loader
 * classes because bootstrap classpath has been appended" and turns CDS off for application
 * classes, so it is used only when the internal API is not there.
 *
 * <p>This class must not mention the bootstrap classes as types: the verifier could load them
 * through the system class loader before they are defined.
 */
final class BootstrapDefiner implements Runnable {
    /** In definition order: a class's superclass of ours must come before it (none has one yet). */
    static final String[] CLASSES = {
            "dev.chaosagent.bootstrap.ChaosThreadKill",
            "dev.chaosagent.bootstrap.InjectionEvent",
            "dev.chaosagent.bootstrap.LastInjection",
            "dev.chaosagent.bootstrap.RuleStats",
            "dev.chaosagent.bootstrap.Site",
            "dev.chaosagent.bootstrap.CallState",
            "dev.chaosagent.bootstrap.CallState$ConditionMemo",
            "dev.chaosagent.bootstrap.Globs",
            "dev.chaosagent.bootstrap.ThreadCondition",
            "dev.chaosagent.bootstrap.ReturnValues",
            "dev.chaosagent.bootstrap.RuleSettings",
            "dev.chaosagent.bootstrap.DispatchTable",
            "dev.chaosagent.bootstrap.Dispatcher",
    };
    private static final String PROBE = "dev.chaosagent.bootstrap.Dispatcher";
    /**
     * Where the build puts the class files of {@link #CLASSES} in the agent jar (their class-path
     * names under this prefix), so that no class loader finds them as classes: the system class
     * loader, which has the agent jar on its class path, would define a second dispatcher.
     */
    private static final String BOOT_ENTRIES = "META-INF/chaos-agent/boot/";
    /** The route when the classes were there before: a load of the agent through another class loader defined them. */
    private static final String ALREADY_PRESENT = "already present";

    private final Instrumentation inst;
    /** How the classes got there, once they are: set once, under this object's lock. */
    private volatile String route;
    /** Why they could not be defined, once that failed: said again to every later caller, never retried. */
    private volatile IllegalStateException failure;
    /** While this defines them; guarded by this. Checking the result goes through the agent's loader, which calls back. */
    private boolean defining;

    BootstrapDefiner(Instrumentation inst) {
        this.inst = inst;
    }

    /** Whether the dispatcher's classes are in the bootstrap class loader already: an agent runs, or ran, in this JVM. */
    static boolean present() {
        return bootClass(PROBE) != null;
    }

    /**
     * Defines the classes unless that is done.
     *
     * @throws IllegalStateException when they cannot be defined (then, and on every later call)
     */
    @Override
    public void run() {
        if (route != null) {
            return;
        }
        synchronized (this) {
            if (route != null || defining) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            defining = true;
            try {
                route = define(inst);
            } catch (Exception | LinkageError e) {
                failure = new IllegalStateException("cannot define the dispatcher's classes in the bootstrap class loader: " + e, e);
                throw failure;
            } finally {
                defining = false;
            }
        }
    }

    /** @return how the classes got there, "defined", "boot class path" or "already present"; null while they are not */
    String route() {
        return route;
    }

    private static String define(Instrumentation inst) throws Exception {
        if (present()) {
            return ALREADY_PRESENT; // a load of the agent through another class loader defined them
        }
        byte[][] bytes = readAll();
        String route;
        try {
            defineWithUnsafe(inst, bytes);
            route = "defined";
        } catch (Throwable preferred) {
            appendJar(inst, bytes);
            route = "boot class path";
        }
        Class<?> probe = Class.forName(PROBE, false, BootstrapDefiner.class.getClassLoader());
        if (probe.getClassLoader() != null) {
            throw new IllegalStateException("the dispatcher was loaded by " + probe.getClassLoader()
                    + " instead of the bootstrap class loader");
        }
        return route;
    }

    private static Class<?> bootClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Reads the class files straight from the agent jar: asking the class loader for them as
     * resources would first search the JDK's module image, which costs milliseconds of start-up.
     */
    private static byte[][] readAll() throws IOException {
        byte[][] bytes = new byte[CLASSES.length][];
        ClassLoader loader = BootstrapDefiner.class.getClassLoader();
        if (loader instanceof AgentClassLoader) { // the build packs them: one read each, no jar entry lookups
            AgentClassLoader own = (AgentClassLoader) loader;
            boolean all = true;
            for (int i = 0; i < CLASSES.length && all; i++) {
                bytes[i] = own.packed(CLASSES[i]);
                all = bytes[i] != null;
            }
            if (all) {
                return bytes;
            }
        }
        File jar = agentJar();
        if (jar != null) {
            try (JarFile file = new JarFile(jar, false)) {
                for (int i = 0; i < CLASSES.length; i++) {
                    JarEntry entry = file.getJarEntry(BOOT_ENTRIES + resource(CLASSES[i])); // where the build moves them
                    if (entry == null) {
                        entry = file.getJarEntry(resource(CLASSES[i])); // a jar made without the build's last step
                    }
                    if (entry == null) {
                        throw new IOException("missing " + BOOT_ENTRIES + resource(CLASSES[i]) + " in " + jar);
                    }
                    try (InputStream in = file.getInputStream(entry)) {
                        bytes[i] = in.readAllBytes();
                    }
                }
            }
            return bytes;
        }
        for (int i = 0; i < CLASSES.length; i++) { // not running from a jar (a development build)
            try (InputStream in = BootstrapDefiner.class.getClassLoader().getResourceAsStream(resource(CLASSES[i]))) {
                if (in == null) {
                    throw new IOException("missing " + resource(CLASSES[i]));
                }
                bytes[i] = in.readAllBytes();
            }
        }
        return bytes;
    }

    private static File agentJar() {
        ProtectionDomain domain = BootstrapDefiner.class.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        try {
            File f = new File(location.toURI());
            return f.isFile() ? f : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String resource(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static void defineWithUnsafe(Instrumentation inst, byte[][] bytes) throws Exception {
        Module base = Object.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(BootstrapDefiner.class.getModule())),
                Map.of(), Set.of(), Map.of());
        try {
            InternalDefiner.define(CLASSES, bytes);
            return;
        } catch (LinkageError directCallUnavailable) {
            // Unsafe.defineClass changed shape in this JDK: try it through reflection below.
            if (bootClass(PROBE) != null) {
                throw directCallUnavailable; // partly defined; reflection would only collide
            }
        }
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (int i = 0; i < CLASSES.length; i++) {
            defineClass.invoke(unsafe, CLASSES[i], bytes[i], 0, bytes[i].length, null, null);
        }
    }

    private static void appendJar(Instrumentation inst, byte[][] bytes) throws IOException {
        File jar = File.createTempFile("chaos-agent-boot", ".jar");
        jar.deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
            for (int i = 0; i < CLASSES.length; i++) {
                out.putNextEntry(new JarEntry(resource(CLASSES[i])));
                out.write(bytes[i]);
                out.closeEntry();
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
}
