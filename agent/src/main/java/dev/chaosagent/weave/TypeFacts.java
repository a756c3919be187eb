package dev.chaosagent.weave;

import dev.chaosagent.config.ClassFacts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A class's facts, worked out only when a pattern asks: the name is free; supertypes come from
 * class-file headers ({@link HeaderSupertypes}), and annotations (or supertypes the headers could
 * not reach) from Byte Buddy's type descriptions ({@link TypeDescriptions}), which are not even
 * loaded while no rule needs them. A class already loaded gives its supertypes by reflection
 * (they are loaded too).
 */
final class TypeFacts implements ClassFacts {
    private final WeavingTransformer owner;
    private final ClassLoader loader;
    private final String name;
    private final byte[] classFile;
    private final Class<?> loaded;
    private List<String> supertypes;
    /** Whether the class file holds an annotation attribute's name; null until asked. */
    private Boolean annotated;
    private TypeDescriptions.Described described;
    /** Whether anything was asked that other classes answer (supertypes, annotations). */
    private boolean askedOtherTypes;

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
        askedOtherTypes = true;
        if (supertypes == null) {
            if (loaded != null) {
                Set<String> out = new LinkedHashSet<>();
                HeaderSupertypes.walk(loaded, out);
                supertypes = Collections.unmodifiableList(new ArrayList<>(out));
            } else {
                List<String> fromHeaders = classFile == null ? null : owner.headerSupertypes().of(loader, name, classFile);
                supertypes = fromHeaders != null ? fromHeaders : described().supertypes;
            }
        }
        return supertypes;
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

    @Override
    public boolean mayHaveAnnotations() {
        if (annotated == null) {
            annotated = mayContain(ANNOTATIONS);
        }
        return annotated;
    }

    private static final byte[] ANNOTATIONS = {'A', 'n', 'n', 'o', 't', 'a', 't', 'i', 'o', 'n', 's'};

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

    /** Whether an answer so far came from other classes than this one (or the JDK's): the weave cache then keeps nothing. */
    boolean askedOtherTypes() {
        return askedOtherTypes;
    }

    private TypeDescriptions.Described described() {
        askedOtherTypes = true;
        if (described == null) {
            described = owner.typeDescriptions().describe(loader, name, classFile);
        }
        return described;
    }
}
