package dev.chaosagent.weave;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Answers, at weave time, what an exception class name means from a given class loader: does it
 * exist, is it a {@link Throwable}, is it checked, can the dispatcher build one. JDK types are
 * looked at through reflection (loading them changes nothing for the application). Application
 * types are read as class files through the loader instead of being loaded, because loading
 * application classes from inside a {@code ClassFileTransformer} can change their load order; a
 * loader that serves no class files as resources is asked to load the class (without
 * initialising it) instead.
 */
final class ExceptionTypes {
    /**
     * What a name resolved to. {@code problem} is null when the type can be injected; {@code jdk}
     * says the name is a JDK class, which every class loader resolves alike.
     */
    record Info(String name, String problem, boolean unchecked, List<String> lineage, boolean jdk) {
        /** Whether a method declaring {@code declared} (binary name) may throw this type. */
        boolean coveredBy(String declared) {
            return lineage.contains(declared);
        }
    }

    private final Map<ClassLoader, Map<String, Info>> byLoader = new WeakHashMap<>();
    private final Map<String, Info> boot = new HashMap<>();

    /**
     * Resolves outside the lock: resolving may load through an application class loader, and a
     * thread holding that loader's lock may be waiting here (a lock-order deadlock otherwise).
     */
    Info inspect(ClassLoader loader, String name) {
        synchronized (this) {
            Map<String, Info> cache = loader == null ? boot : byLoader.get(loader);
            Info known = cache == null ? null : cache.get(name);
            if (known != null) {
                return known;
            }
        }
        Info info = resolve(loader, name);
        synchronized (this) {
            Map<String, Info> cache = loader == null ? boot : byLoader.get(loader);
            if (cache == null) {
                cache = new HashMap<>();
                byLoader.put(loader, cache);
            }
            cache.put(name, info);
        }
        return info;
    }

    private static Info resolve(ClassLoader loader, String name) {
        List<String> lineage = new ArrayList<>();
        String current = name;
        boolean first = true;
        String problem = null;
        while (current != null) {
            lineage.add(current);
            Shape shape = shape(loader, current);
            if (shape == null) {
                problem = first ? "no class " + name + " is visible from that class loader"
                        : "superclass " + current + " of " + name + " is not visible from that class loader";
                break;
            }
            if (first && shape.problem != null) {
                problem = shape.problem;
            }
            first = false;
            if (current.equals("java.lang.Throwable")) {
                break;
            }
            current = shape.superName;
        }
        if (problem == null && !lineage.contains("java.lang.Throwable")) {
            problem = name + " is not a java.lang.Throwable";
        }
        boolean unchecked = lineage.contains("java.lang.RuntimeException") || lineage.contains("java.lang.Error");
        return new Info(name, problem, unchecked, Collections.unmodifiableList(lineage), jdkClass(name) != null);
    }

    /** A class's superclass and whether the dispatcher can instantiate it. */
    private record Shape(String superName, String problem) {
    }

    private static Shape shape(ClassLoader loader, String name) {
        Class<?> jdkType = jdkClass(name);
        if (jdkType != null) {
            return fromClass(jdkType);
        }
        byte[] bytes = classFile(loader, name);
        if (bytes != null) {
            return fromClassFile(name, bytes);
        }
        try {
            return fromClass(Class.forName(name, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * A JDK class of that name, loaded without initialising it, or null. Every loader resolves
     * JDK types to these, and loading them is cheap (most come from the CDS archive), where
     * reading their class files would first open the JDK's module image.
     */
    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Shape fromClass(Class<?> type) {
        String name = type.getName();
        Class<?> sup = type.getSuperclass();
        String problem = null;
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            problem = name + " must be a public, concrete class";
        } else if (!hasPublicConstructor(type)) {
            problem = name + " has no public constructor taking a String or nothing";
        }
        return new Shape(sup == null ? null : sup.getName(), problem);
    }

    private static boolean hasPublicConstructor(Class<?> type) {
        for (Constructor<?> c : type.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 0 || (p.length == 1 && p[0] == String.class)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] classFile(ClassLoader loader, String name) {
        String resource = name.replace('.', '/') + ".class";
        if (loader == null) {
            return null; // the boot loader holds only JDK classes, which jdkClass already answered
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Shape fromClassFile(String name, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        int access = reader.getAccess();
        String superName = reader.getSuperName();
        ConstructorFinder finder = new ConstructorFinder();
        reader.accept(finder, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        String problem = null;
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0) {
            problem = name + " must be a public, concrete class";
        } else if (!finder.usable) {
            problem = name + " has no public constructor taking a String or nothing";
        }
        return new Shape(superName == null ? null : superName.replace('/', '.'), problem);
    }

    private static final class ConstructorFinder extends ClassVisitor {
        boolean usable;

        ConstructorFinder() {
            super(Opcodes.ASM9);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if (name.equals("<init>") && (access & Opcodes.ACC_PUBLIC) != 0
                    && (descriptor.equals("()V") || descriptor.equals("(Ljava/lang/String;)V"))) {
                usable = true;
            }
            return null;
        }
    }
}
