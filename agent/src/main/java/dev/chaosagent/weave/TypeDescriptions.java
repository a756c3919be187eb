package dev.chaosagent.weave;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Byte Buddy's type pool, for the supertypes and annotations of a class before it is defined:
 * class files are read through the class's own loader (as resources, never loading a class), one
 * cache per loader so that a hierarchy is parsed once. The cache's pools reach their loader only
 * weakly, so a dropped loader is still collected. Used only while some rule has a {@code ^} or
 * {@code @} pattern.
 */
final class TypeDescriptions {
    /** What one class file says: supertypes (itself first), its annotations, its methods' annotations. */
    static final class Described {
        final List<String> supertypes;
        final List<String> annotations;
        final Map<String, List<String>> methodAnnotations;
        /** Why a supertype could not be resolved, one line each; empty when all were. */
        final List<String> unresolved;

        Described(List<String> supertypes, List<String> annotations, Map<String, List<String>> methodAnnotations,
                  List<String> unresolved) {
            this.supertypes = supertypes;
            this.annotations = annotations;
            this.methodAnnotations = methodAnnotations;
            this.unresolved = unresolved;
        }
    }

    private final Map<ClassLoader, TypePool.CacheProvider> caches = new WeakHashMap<>();
    private final TypePool.CacheProvider bootCache = new TypePool.CacheProvider.Simple();

    private synchronized TypePool.CacheProvider cache(ClassLoader loader) {
        if (loader == null) {
            return bootCache;
        }
        TypePool.CacheProvider cache = caches.get(loader);
        if (cache == null) {
            cache = new TypePool.CacheProvider.Simple();
            caches.put(loader, cache);
        }
        return cache;
    }

    /**
     * A pool reading through the loader, with the loader's cache; {@code classFile}, when given,
     * serves {@code name} itself (a class being defined, which its loader may not serve yet).
     */
    private TypePool pool(ClassLoader loader, String name, byte[] classFile) {
        ClassFileLocator fromLoader = loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader);
        ClassFileLocator locator = classFile == null ? fromLoader
                : new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile), fromLoader);
        return new TypePool.Default(cache(loader), locator, TypePool.Default.ReaderMode.FAST);
    }

    /** @param classFile the class's bytes when it is being defined (its loader may not serve them yet), or null */
    Described describe(ClassLoader loader, String name, byte[] classFile) {
        List<String> unresolved = new ArrayList<>();
        TypePool.Resolution resolution = pool(loader, name, classFile).describe(name);
        if (!resolution.isResolved()) {
            unresolved.add(name + " itself cannot be read from its class loader");
            return new Described(Collections.singletonList(name), Collections.<String>emptyList(),
                    Collections.<String, List<String>>emptyMap(), unresolved);
        }
        TypeDescription type = resolution.resolve();
        Set<String> supertypes = new LinkedHashSet<>();
        walk(type, supertypes, unresolved);
        Map<String, List<String>> methods = new HashMap<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            List<String> names = annotationNames(m.getDeclaredAnnotations());
            if (!names.isEmpty()) {
                methods.put(m.getInternalName() + m.getDescriptor(), names);
            }
        }
        return new Described(Collections.unmodifiableList(new ArrayList<>(supertypes)),
                annotationNames(type.getDeclaredAnnotations()), methods, unresolved);
    }

    /**
     * For a {@code return} fault's enum constant: null when {@code type} is an enum with the
     * constant {@code name} (or cannot be read: the first injection then builds it or says why),
     * else why not.
     */
    String enumConstantMismatch(ClassLoader loader, String type, String name) {
        TypePool.Resolution resolution = pool(loader, type, null).describe(type);
        if (!resolution.isResolved()) {
            return null;
        }
        TypeDescription t = resolution.resolve();
        if (!t.isEnum()) {
            return "its return type " + type + " is not an enum, so it cannot take the constant " + name;
        }
        return t.getDeclaredFields().filter(net.bytebuddy.matcher.ElementMatchers.named(name)).isEmpty()
                ? "its return type " + type + " has no constant " + name : null;
    }

    private static void walk(TypeDefinition type, Set<String> out, List<String> unresolved) {
        TypeDescription erasure;
        try {
            erasure = type.asErasure();
            if (!out.add(erasure.getName())) {
                return;
            }
        } catch (IllegalStateException e) {
            unresolved.add(e.getMessage());
            return;
        }
        try {
            TypeDescription.Generic superClass = erasure.getSuperClass();
            if (superClass != null) {
                walk(superClass, out, unresolved);
            }
            for (TypeDescription.Generic i : erasure.getInterfaces()) {
                walk(i, out, unresolved);
            }
        } catch (IllegalStateException e) {
            unresolved.add(e.getMessage());
        }
    }

    /** The annotation types' names; one whose class file cannot be read is named from its descriptor all the same. */
    private static List<String> annotationNames(Iterable<AnnotationDescription> annotations) {
        List<String> out = new ArrayList<>();
        for (AnnotationDescription a : annotations) {
            try {
                out.add(a.getAnnotationType().getName());
            } catch (IllegalStateException e) {
                // an annotation whose type the loader cannot serve cannot be matched; it is not an error
            }
        }
        return out.isEmpty() ? Collections.<String>emptyList() : Collections.unmodifiableList(out);
    }
}
