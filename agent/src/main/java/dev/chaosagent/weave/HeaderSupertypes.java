package dev.chaosagent.weave;

import net.bytebuddy.jar.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class's supertypes for {@code ^} patterns, read from class-file headers (ASM's
 * {@link ClassReader}, which the weaver loads anyway) rather than through Byte Buddy's type pool,
 * whose first use loads some 250 classes: the class's own header, then each application
 * supertype's class file through the same loader (the way the type pool finds them), and JDK
 * types by reflection on the JDK's loaders, which the JVM is about to load for the class anyway.
 * An application supertype's answer is kept per loader (held weakly). When some supertype cannot
 * be read this gives up (null), and the type pool answers instead, reporting what it could not see.
 */
final class HeaderSupertypes {
    /** Deeper than any real hierarchy; a cycle (a broken class path) stops here. */
    private static final int MAX_DEPTH = 64;

    private final Map<ClassLoader, Map<String, List<String>>> byLoader = new WeakHashMap<>();
    private final Map<String, List<String>> boot = new HashMap<>();
    /**
     * A JDK type's supertypes (itself first), or an empty list for a name the JDK's loaders do not
     * serve: the same for every class that names it, so asked of the JVM once, not once per class.
     */
    private final Map<String, List<String>> jdk = new ConcurrentHashMap<>();

    /**
     * The class itself, then every class it extends and interface it implements, directly or not
     * (binary names, as {@link dev.chaosagent.config.ClassFacts#supertypes()}); null when one of
     * them could not be read.
     */
    List<String> of(ClassLoader loader, String name, byte[] classFile) {
        Set<String> out = new LinkedHashSet<>();
        out.add(name);
        return addHeader(loader, classFile, out, 0) ? Collections.unmodifiableList(new ArrayList<>(out)) : null;
    }

    private boolean addHeader(ClassLoader loader, byte[] classFile, Set<String> out, int depth) {
        ClassReader header;
        try {
            header = new ClassReader(classFile);
        } catch (RuntimeException e) {
            return false; // not a class file the reader knows: the type pool says why
        }
        String superName = header.getSuperName();
        if (superName != null && !addType(loader, superName, out, depth)) {
            return false;
        }
        for (String i : header.getInterfaces()) {
            if (!addType(loader, i, out, depth)) {
                return false;
            }
        }
        return true;
    }

    private boolean addType(ClassLoader loader, String internalName, Set<String> out, int depth) {
        String name = internalName.replace('/', '.');
        if (out.contains(name)) {
            return true;
        }
        if (internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")) {
            List<String> types = jdk.get(name);
            if (types == null) {
                types = jdkSupertypes(name);
                jdk.put(name, types);
            }
            out.addAll(types);
            return !types.isEmpty();
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        List<String> known = cached(loader, name);
        if (known == null) {
            byte[] bytes = classFile(loader, internalName);
            if (bytes == null) {
                return false;
            }
            Set<String> own = new LinkedHashSet<>();
            own.add(name);
            if (!addHeader(loader, bytes, own, depth + 1)) {
                return false;
            }
            known = Collections.unmodifiableList(new ArrayList<>(own));
            remember(loader, name, known);
        }
        out.addAll(known);
        return true;
    }

    private static List<String> jdkSupertypes(String name) {
        try {
            Class<?> type = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
            ClassLoader loader = type.getClassLoader();
            if (loader != null && loader != ClassLoader.getPlatformClassLoader()) {
                return Collections.emptyList(); // not the JDK's after all
            }
            Set<String> out = new LinkedHashSet<>();
            walk(type, out);
            return Collections.unmodifiableList(new ArrayList<>(out));
        } catch (ClassNotFoundException | LinkageError e) {
            return Collections.emptyList();
        }
    }

    static void walk(Class<?> c, Set<String> out) {
        if (c == null || !out.add(c.getName())) {
            return;
        }
        walk(c.getSuperclass(), out);
        for (Class<?> i : c.getInterfaces()) {
            walk(i, out);
        }
    }

    /** The class file as the loader serves it, or null. */
    private static byte[] classFile(ClassLoader loader, String internalName) {
        ClassLoader from = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
        try (InputStream in = from.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private synchronized List<String> cached(ClassLoader loader, String name) {
        Map<String, List<String>> names = loader == null ? boot : byLoader.get(loader);
        return names == null ? null : names.get(name);
    }

    private synchronized void remember(ClassLoader loader, String name, List<String> supertypes) {
        Map<String, List<String>> names = loader == null ? boot : byLoader.get(loader);
        if (names == null) {
            names = new HashMap<>();
            byLoader.put(loader, names);
        }
        names.put(name, supertypes);
    }
}
