package dev.chaosagent.weave;

import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class's supertypes for {@code ^} patterns, read from class-file headers
 * ({@link ClassHeader}) rather than through Byte Buddy's type pool,
 * whose first use loads some 250 classes: the class's own header, then each application
 * supertype's class file through the same loader (the way the type pool finds them), and JDK
 * types by reflection on the JDK's loaders, which the JVM is about to load for the class anyway.
 * An application supertype's answer is kept per loader (held weakly). When some supertype cannot
 * be read this gives up (null), and the type pool answers instead, reporting what it could not see.
 */
final class HeaderSupertypes {
    /** Deeper than any real hierarchy; a cycle (a broken class path) stops here. */
    private static final int MAX_DEPTH = 64;

    /** What a class that extends {@code java.lang.Object} alone has above it. */
    private static final List<String> OBJECT_ONLY = Collections.singletonList("java.lang.Object");

    /** An application type's supertypes (itself first), by loader and internal name. */
    private final Map<ClassLoader, Map<String, List<String>>> byLoader = new WeakHashMap<>();
    private final Map<String, List<String>> boot = new HashMap<>();
    /**
     * A JDK type's supertypes (itself first), by its internal name, or an empty list for a name the
     * JDK's loaders do not serve: the same for every class that names it, so asked of the JVM once,
     * not once per class.
     */
    private final Map<String, List<String>> jdk = new ConcurrentHashMap<>();

    /**
     * The class itself, then every class it extends and interface it implements, directly or not
     * (binary names, as {@link dev.chaosagent.config.ClassFacts#supertypes()}); null when one of
     * them could not be read. Only the class's own header is read each time: what lies above its
     * direct supertypes is the same for every class that names them, and kept.
     */
    List<String> of(ClassLoader loader, String name, byte[] classFile) {
        List<String> above = above(loader, classFile, 0);
        return above == null ? null : new SelfAndAbove(name, above);
    }

    /** What a class file's direct supertypes are and extend, in order, without repeats; null when one could not be read. */
    private List<String> above(ClassLoader loader, byte[] classFile, int depth) {
        ClassHeader header;
        try {
            header = ClassHeader.read(classFile);
        } catch (RuntimeException e) {
            return null; // not a class file this reads: the type pool says why
        }
        String superName = header.superName;
        String[] interfaces = header.interfaces;
        if (interfaces.length == 0) { // most classes: one line up, whose answer is kept
            return superName == null ? Collections.<String>emptyList() : typeAndAbove(loader, superName, depth);
        }
        Set<String> out = new LinkedHashSet<>();
        if (superName != null && !addAll(out, typeAndAbove(loader, superName, depth))) {
            return null;
        }
        for (String i : interfaces) {
            if (!addAll(out, typeAndAbove(loader, i, depth))) {
                return null;
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    private static boolean addAll(Set<String> out, List<String> types) {
        if (types == null) {
            return false;
        }
        out.addAll(types);
        return true;
    }

    /** A supertype (internal name) and what it extends, binary names; null when it or one of those could not be read. */
    private List<String> typeAndAbove(ClassLoader loader, String internalName, int depth) {
        if (internalName == ClassHeader.OBJECT) { // the header reader's own string: no lookup
            return OBJECT_ONLY;
        }
        if (internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")) {
            List<String> types = jdk.get(internalName);
            if (types == null) {
                types = jdkSupertypes(internalName.replace('/', '.'));
                jdk.put(internalName, types);
            }
            return types.isEmpty() ? null : types;
        }
        List<String> known = cached(loader, internalName);
        if (known == null) {
            if (depth >= MAX_DEPTH) {
                return null;
            }
            byte[] bytes = classFile(loader, internalName);
            List<String> above = bytes == null ? null : above(loader, bytes, depth + 1);
            if (above == null) {
                return null;
            }
            String name = internalName.replace('/', '.');
            known = new ArrayList<>(above.size() + 1);
            known.add(name);
            for (String type : above) {
                if (!type.equals(name)) { // a cycle (a broken class path) does not list the type twice
                    known.add(type);
                }
            }
            known = Collections.unmodifiableList(known);
            remember(loader, internalName, known);
        }
        return known;
    }

    /** A class's name before the kept list of what it extends: no copy per class. */
    private static final class SelfAndAbove extends AbstractList<String> implements RandomAccess {
        private final String self;
        private final List<String> above;

        SelfAndAbove(String self, List<String> above) {
            this.self = self;
            this.above = above;
        }

        @Override
        public String get(int index) {
            return index == 0 ? self : above.get(index - 1);
        }

        @Override
        public int size() {
            return above.size() + 1;
        }
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
