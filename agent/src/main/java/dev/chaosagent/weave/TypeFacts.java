package dev.chaosagent.weave;

import dev.chaosagent.config.ClassFacts;
import net.bytebuddy.jar.asm.ClassReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A class's facts, worked out only when a pattern asks: the name is free; supertypes and
 * annotations come from Byte Buddy's type descriptions ({@link TypeDescriptions}), which are not
 * even loaded while every rule names classes plainly. A class already loaded gives its supertypes
 * by reflection (they are loaded too).
 */
final class TypeFacts implements ClassFacts {
    private final WeavingTransformer owner;
    private final ClassLoader loader;
    private final String name;
    private final byte[] classFile;
    private final Class<?> loaded;
    private List<String> supertypes;
    private TypeDescriptions.Described described;

    /** @param classFile the class file being woven, or null; @param loaded the class when it is loaded already, or null */
    TypeFacts(WeavingTransformer owner, ClassLoader loader, String name, byte[] classFile, Class<?> loaded) {
        this.owner = owner;
        this.loader = loader;
        this.name = name;
        this.classFile = classFile;
        this.loaded = loaded;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> supertypes() {
        if (supertypes == null) {
            if (loaded != null) {
                Set<String> out = new LinkedHashSet<>();
                walk(loaded, out);
                supertypes = Collections.unmodifiableList(new ArrayList<>(out));
            } else {
                List<String> fromJdk = classFile == null ? null : onlyJdkSupertypes(name, classFile);
                supertypes = fromJdk != null ? fromJdk : described().supertypes;
            }
        }
        return supertypes;
    }

    /**
     * The supertypes of a class whose direct supertypes (read from its class file's header) are
     * all JDK types, by reflection on those, which the JVM is about to load anyway: most classes
     * extend Object and implement nothing of the application's, and need no type pool. Null when
     * some direct supertype is the application's, or a JDK type cannot be seen.
     */
    private static List<String> onlyJdkSupertypes(String name, byte[] classFile) {
        ClassReader header;
        try {
            header = new ClassReader(classFile);
        } catch (RuntimeException e) {
            return null; // not a class file the reader knows: the type pool says why
        }
        String superName = header.getSuperName();
        String[] interfaces = header.getInterfaces();
        Set<String> out = new LinkedHashSet<>();
        out.add(name);
        try {
            if (superName != null && !addJdkType(superName, out)) {
                return null;
            }
            for (String i : interfaces) {
                if (!addJdkType(i, out)) {
                    return null;
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    private static boolean addJdkType(String internalName, Set<String> out) throws ClassNotFoundException {
        if (internalName.equals("java/lang/Object")) {
            out.add("java.lang.Object");
            return true;
        }
        if (!internalName.startsWith("java/") && !internalName.startsWith("javax/") && !internalName.startsWith("jdk/")) {
            return false;
        }
        Class<?> type = Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = type.getClassLoader();
        if (loader != null && loader != ClassLoader.getPlatformClassLoader()) {
            return false; // not the JDK's after all
        }
        walk(type, out);
        return true;
    }

    private static void walk(Class<?> c, Set<String> out) {
        if (c == null || !out.add(c.getName())) {
            return;
        }
        walk(c.getSuperclass(), out);
        for (Class<?> i : c.getInterfaces()) {
            walk(i, out);
        }
    }

    @Override
    public List<String> annotations() {
        return described().annotations;
    }

    @Override
    public List<String> methodAnnotations(String method, String descriptor) {
        List<String> found = described().methodAnnotations.get(method + descriptor);
        return found == null ? Collections.<String>emptyList() : found;
    }

    @Override
    public boolean mayContain(byte[] ascii) {
        byte[] bytes = classFile;
        if (bytes == null) {
            return true;
        }
        byte first = ascii[0];
        for (int i = 0, last = bytes.length - ascii.length; i <= last; i++) {
            if (bytes[i] == first && matchesAt(bytes, i, ascii)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] bytes, int at, byte[] ascii) {
        for (int k = 1; k < ascii.length; k++) {
            if (bytes[at + k] != ascii[k]) {
                return false;
            }
        }
        return true;
    }

    /** The supertypes that could not be resolved from the class's loader (asked for by a pattern), or empty. */
    List<String> unresolved() {
        return described == null ? Collections.<String>emptyList() : described.unresolved;
    }

    /** Byte Buddy's type pools, for other questions about types (a return fault's enum). */
    TypeDescriptions descriptions() {
        return owner.typeDescriptions();
    }

    private TypeDescriptions.Described described() {
        if (described == null) {
            described = owner.typeDescriptions().describe(loader, name, classFile);
        }
        return described;
    }
}
