package dev.chaosagent.config;

import java.util.List;

/**
 * What a pattern may ask of a class: its name always; its supertypes and annotations only for
 * {@code ^} and {@code @} patterns, which is when they are worked out (a class's facts are
 * computed lazily, so plain-name rules never pay for them).
 */
public interface ClassFacts {
    /** {@code com.acme.Repo$Inner}. */
    String name();

    /** The class itself, then every class it extends and interface it implements, directly or not (binary names). */
    List<String> supertypes();

    /** The binary names of the annotation types on the class itself. */
    List<String> annotations();

    /** The binary names of the annotation types on one of its methods, by name and descriptor. */
    List<String> methodAnnotations(String method, String descriptor);

    /**
     * Whether the class file may contain these bytes (ASCII) in a constant: false only when its
     * bytes are at hand and do not. A class annotated with {@code com.acme.Api} holds
     * {@code Lcom/acme/Api;}, so a pattern can rule a class out before its annotations are read.
     */
    default boolean mayContain(byte[] ascii) {
        return true;
    }

    /**
     * Whether the class may carry annotations: false only when its bytes are at hand and hold no
     * annotation attribute (whose name, {@code Runtime[In]VisibleAnnotations}, every annotated class
     * file has among its constants). One scan answers it for every {@code @} pattern.
     */
    default boolean mayHaveAnnotations() {
        return true;
    }
}
