package dev.chaosagent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code Class#method} pattern. Class part: a binary name whose segments may use {@code *}
 * (any characters within one segment) or be {@code **} (any number of segments, including none);
 * {@code $} names nested classes. Method part: a glob on the name, optionally followed by a
 * parameter list of type names ({@code find(java.lang.String,int)}); a parameter written without
 * a dot also matches by simple name ({@code String}).
 *
 * <p>A class part {@code ^com.acme.Repository} matches every class that is, extends or implements
 * that type, directly or not; {@code @com.acme.Api} every class carrying that annotation. A method
 * part {@code @com.acme.Get} matches the methods carrying that annotation. Each takes the same
 * globs as a class name. Those forms need the class's {@link ClassFacts} beyond its name.
 *
 * <p>Matching is hand-written rather than through {@code java.util.regex}: it runs in every
 * class load and should not pull a regex engine into a JVM that has not loaded one yet.
 */
public final class TargetPattern {
    /** What the class part's segments name: the class, a supertype ({@code ^}) or a class annotation ({@code @}). */
    private static final int NAME = 0;
    private static final int SUPERTYPE = 1;
    private static final int ANNOTATED = 2;

    private final String text;
    private final int classKind;
    private final String[] classSegments;
    private final String methodGlob;
    /** The segments of a method annotation's name ({@code #@...}), or null for a name glob. */
    private final String[] methodAnnotation;
    private final String[] parameters; // null: any parameter list
    /** For an {@code @} class part: the start of the annotation's descriptor every match's class file holds, or null. */
    private final byte[] annotationDescriptor;
    /** The class part as one dotted name when it has no glob, else null: then matching is one equals. */
    private final String classLiteral;
    /** Likewise for a method annotation's name. */
    private final String methodAnnotationLiteral;

    private TargetPattern(String text, int classKind, String[] classSegments, String methodGlob, String[] methodAnnotation,
                          String[] parameters) {
        this.text = text;
        this.classKind = classKind;
        this.classSegments = classSegments;
        this.methodGlob = methodGlob;
        this.methodAnnotation = methodAnnotation;
        this.parameters = parameters;
        this.annotationDescriptor = classKind == ANNOTATED ? descriptorStart(classSegments) : null;
        this.classLiteral = literal(classSegments);
        this.methodAnnotationLiteral = methodAnnotation == null ? null : literal(methodAnnotation);
    }

    /** The segments joined with dots when none has a glob, else null. */
    private static String literal(String[] segments) {
        for (String s : segments) {
            if (s.indexOf('*') >= 0) {
                return null;
            }
        }
        return String.join(".", segments);
    }

    /**
     * {@code Lcom/acme/} for {@code com.acme.*Api}, {@code Lcom/acme/Api;} for {@code com.acme.Api};
     * null when the first segment has a glob or a name is not ASCII (a class file's strings are
     * modified UTF-8, which only ASCII is sure to match byte for byte).
     */
    private static byte[] descriptorStart(String[] segments) {
        StringBuilder d = new StringBuilder("L");
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.indexOf('*') >= 0) {
                if (i == 0) {
                    return null;
                }
                break;
            }
            d.append(s).append(i < segments.length - 1 ? '/' : ';');
        }
        byte[] ascii = new byte[d.length()];
        for (int i = 0; i < ascii.length; i++) {
            char c = d.charAt(i);
            if (c > 127) {
                return null;
            }
            ascii[i] = (byte) c;
        }
        return ascii;
    }

    /** Parses a {@code ;}-separated list. Throws {@link IllegalArgumentException} with the reason. */
    public static List<TargetPattern> parseList(String value) {
        List<TargetPattern> out = new ArrayList<>();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(parse(p));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("names no Class#method pattern");
        }
        return out;
    }

    public static TargetPattern parse(String text) {
        int hash = text.indexOf('#');
        if (hash <= 0 || hash == text.length() - 1 || text.indexOf('#', hash + 1) >= 0) {
            throw new IllegalArgumentException("pattern '" + text + "' is not of the form Class#method");
        }
        String classPart = text.substring(0, hash);
        String methodPart = text.substring(hash + 1);
        int classKind = classPart.startsWith("^") ? SUPERTYPE : classPart.startsWith("@") ? ANNOTATED : NAME;
        String[] segments = segments(text, classKind == NAME ? classPart : classPart.substring(1), "class part");
        String[] methodAnnotation = null;
        if (methodPart.startsWith("@")) {
            int open = methodPart.indexOf('(');
            methodAnnotation = segments(text, methodPart.substring(1, open < 0 ? methodPart.length() : open), "method annotation");
            methodPart = "*" + (open < 0 ? "" : methodPart.substring(open));
        }
        String methodGlob = methodPart;
        String[] parameters = null;
        int open = methodPart.indexOf('(');
        if (open >= 0) {
            if (!methodPart.endsWith(")") || methodPart.indexOf('(', open + 1) >= 0) {
                throw new IllegalArgumentException("pattern '" + text + "' has a malformed parameter list");
            }
            methodGlob = methodPart.substring(0, open);
            String inner = methodPart.substring(open + 1, methodPart.length() - 1).trim();
            parameters = inner.isEmpty() ? new String[0] : inner.split(",", -1);
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = parameters[i].trim();
                if (!isTypeName(parameters[i])) {
                    throw new IllegalArgumentException("pattern '" + text + "' has a malformed parameter type '" + parameters[i] + "'");
                }
            }
        }
        if (methodGlob.isEmpty()) {
            throw new IllegalArgumentException("pattern '" + text + "' has no method name");
        }
        for (int i = 0; i < methodGlob.length(); i++) {
            char c = methodGlob.charAt(i);
            if (c != '*' && !Character.isJavaIdentifierPart(c)) {
                throw new IllegalArgumentException("pattern '" + text + "' has '" + c + "' in its method name");
            }
        }
        return new TargetPattern(text, classKind, segments, methodGlob, methodAnnotation, parameters);
    }

    /** A dotted glob's segments, each checked: {@code *} within a segment, {@code **} as a whole one. */
    private static String[] segments(String text, String dotted, String what) {
        String[] segments = dotted.split("\\.", -1);
        for (String s : segments) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("pattern '" + text + "' has an empty segment in its " + what);
            }
            if (s.contains("**") && !s.equals("**")) {
                throw new IllegalArgumentException("pattern '" + text + "': '**' must be a whole segment");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '*' && !Character.isJavaIdentifierPart(c)) {
                    throw new IllegalArgumentException("pattern '" + text + "' has '" + c + "' in its " + what);
                }
            }
        }
        return segments;
    }

    private static boolean isTypeName(String t) {
        String base = t;
        while (base.endsWith("[]")) {
            base = base.substring(0, base.length() - 2);
        }
        return isDottedName(base);
    }

    /** Identifiers joined by dots, as in {@code java.lang.String}, {@code int} or {@code com.acme.Outer$Inner}. */
    static boolean isDottedName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && !Character.isJavaIdentifierPart(c)) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return text;
    }

    /** Whether matching needs more of a class than its name: a supertype, a class or a method annotation. */
    public boolean needsTypeFacts() {
        return classKind != NAME || methodAnnotation != null;
    }

    /**
     * What a class's name must start with for this pattern to match it, for an index of patterns:
     * the whole binary name when the class part is a plain name without globs ({@link #namesOneClass}),
     * else its leading segments without globs ({@code com.acme} for {@code com.acme.*Repo#find}),
     * which are then the whole name or a prefix of it ending before a dot; empty when the first
     * segment has a glob. Null for a {@code ^} or {@code @} class part, which is matched by more
     * than the name.
     */
    public String nameKey() {
        if (classKind != NAME) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (String s : classSegments) {
            if (s.indexOf('*') >= 0) {
                break;
            }
            if (key.length() > 0) {
                key.append('.');
            }
            key.append(s);
        }
        return key.toString();
    }

    /**
     * The class part's last segment when it has no glob ({@code Handler} for {@code **.Handler#run}),
     * which a matching class's name then ends with, after a dot or as the whole name; null for a
     * glob there, for a {@code ^} or {@code @} class part, or for a single segment with a glob.
     */
    public String simpleNameKey() {
        if (classKind != NAME) {
            return null;
        }
        String last = classSegments[classSegments.length - 1];
        return last.indexOf('*') >= 0 ? null : last;
    }

    /** Whether the class part is one binary name without globs: {@link #nameKey} is then the whole name. */
    public boolean namesOneClass() {
        if (classKind != NAME) {
            return false;
        }
        for (String s : classSegments) {
            if (s.indexOf('*') >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the method part is {@code @...}: matching a method then needs its annotations. */
    public boolean needsMethodAnnotations() {
        return methodAnnotation != null;
    }

    /** Whether the class part names the class: by name, by a supertype or by an annotation. */
    public boolean matchesClass(ClassFacts facts) {
        if (classKind == NAME) {
            return matchesClass(facts.name());
        }
        if (classKind == ANNOTATED && (!facts.mayHaveAnnotations()
                || annotationDescriptor != null && !facts.mayContain(annotationDescriptor))) {
            return false; // its class file has no annotations, or never names this one: no need to read them
        }
        for (String type : classKind == SUPERTYPE ? facts.supertypes() : facts.annotations()) {
            if (classLiteral != null ? classLiteral.equals(type) : matchesDotted(classSegments, type)) {
                return true;
            }
        }
        return false;
    }

    /** @param binaryName {@code com.acme.Repo$Inner}; false for a {@code ^} or {@code @} class part, which needs the facts */
    public boolean matchesClass(String binaryName) {
        return classKind == NAME && (classLiteral != null ? classLiteral.equals(binaryName)
                : matchesDotted(classSegments, binaryName));
    }

    private static boolean matchesDotted(String[] segments, String binaryName) {
        return matchSegments(segments, 0, binaryName.split("\\.", -1), 0);
    }

    /**
     * Whether this pattern names its classes explicitly enough to reach into JDK classes: no
     * {@code **} and a package written out in full (a glob only in the class name). A supertype
     * or annotation pattern never reaches into the JDK.
     */
    public boolean explicitPackage() {
        if (classKind != NAME) {
            return false;
        }
        for (int i = 0; i < classSegments.length; i++) {
            if (classSegments[i].equals("**") || (i < classSegments.length - 1 && classSegments[i].indexOf('*') >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** For a name-glob method part; a {@code #@...} part needs {@link #matchesMethod(String, String[], List)}. */
    public boolean matchesMethod(String name, String[] parameterTypes) {
        return methodAnnotation == null && matchesMethod(name, parameterTypes, null);
    }

    /**
     * @param parameterTypes Java type names as {@code Class.getName()} would print them, arrays as {@code int[]}
     * @param annotations    the method's annotation types, asked for only by a {@code #@...} part
     */
    public boolean matchesMethod(String name, String[] parameterTypes, List<String> annotations) {
        if (methodAnnotation != null) {
            boolean annotated = false;
            for (String a : annotations) {
                annotated |= methodAnnotationLiteral != null ? methodAnnotationLiteral.equals(a)
                        : matchesDotted(methodAnnotation, a);
            }
            if (!annotated) {
                return false;
            }
        } else if (!glob(methodGlob, name)) {
            return false;
        }
        if (parameters == null) {
            return true;
        }
        if (parameters.length != parameterTypes.length) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!parameterMatches(parameters[i], parameterTypes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean parameterMatches(String wanted, String actual) {
        if (wanted.equals(actual)) {
            return true;
        }
        if (wanted.indexOf('.') >= 0) {
            return false;
        }
        int cut = Math.max(actual.lastIndexOf('.'), actual.lastIndexOf('$'));
        return wanted.equals(actual.substring(cut + 1));
    }

    private static boolean matchSegments(String[] segments, int p, String[] name, int n) {
        if (p == segments.length) {
            return n == name.length;
        }
        if (segments[p].equals("**")) {
            for (int k = n; k <= name.length; k++) {
                if (matchSegments(segments, p + 1, name, k)) {
                    return true;
                }
            }
            return false;
        }
        return n < name.length && glob(segments[p], name[n]) && matchSegments(segments, p + 1, name, n + 1);
    }

    /** {@code *} matches any run of characters. */
    static boolean glob(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
