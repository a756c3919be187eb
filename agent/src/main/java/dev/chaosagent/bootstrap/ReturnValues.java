package dev.chaosagent.bootstrap;

import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Builds what a {@code return} fault returns, for one method's return type (a descriptor), at the
 * first injection: the weaver has already checked that the type can take it. Kinds are those of
 * the agent's {@code ReturnValue}: 0 null, 1 empty, 2 boolean, 3 whole number, 4 decimal, 5 string,
 * 6 enum constant.
 */
public final class ReturnValues {
    static final int NULL = 0;
    static final int EMPTY = 1;
    static final int CONSTANT = 6;

    /** Return types that {@code empty} can fill, by descriptor: interfaces get the JDK's empty values. */
    private static final String[] EMPTY_INTERFACES = {
        "Ljava/lang/String;", "Ljava/lang/CharSequence;", "Ljava/lang/Iterable;", "Ljava/util/Collection;", "Ljava/util/List;",
        "Ljava/util/Set;", "Ljava/util/SortedSet;", "Ljava/util/NavigableSet;", "Ljava/util/Map;", "Ljava/util/SortedMap;",
        "Ljava/util/NavigableMap;", "Ljava/util/Queue;", "Ljava/util/Deque;", "Ljava/util/Iterator;", "Ljava/util/Optional;",
        "Ljava/util/OptionalInt;", "Ljava/util/OptionalLong;", "Ljava/util/OptionalDouble;", "Ljava/util/stream/Stream;",
        "Ljava/util/stream/IntStream;", "Ljava/util/stream/LongStream;", "Ljava/util/stream/DoubleStream;",
    };
    /** Concrete collection classes: {@code empty} is a new instance each time (they are mutable). */
    private static final String[] EMPTY_CLASSES = {
        "Ljava/util/ArrayList;", "Ljava/util/LinkedList;", "Ljava/util/HashSet;", "Ljava/util/LinkedHashSet;",
        "Ljava/util/TreeSet;", "Ljava/util/HashMap;", "Ljava/util/LinkedHashMap;", "Ljava/util/TreeMap;",
        "Ljava/util/ArrayDeque;", "Ljava/util/Vector;", "Ljava/util/concurrent/ConcurrentHashMap;",
        "Ljava/util/concurrent/CopyOnWriteArrayList;", "Ljava/util/concurrent/ConcurrentLinkedQueue;",
    };

    private ReturnValues() {
    }

    /** Whether {@code empty} means something for this return type. */
    public static boolean canBeEmpty(String descriptor) {
        return descriptor.startsWith("[") || indexOf(EMPTY_INTERFACES, descriptor) >= 0 || indexOf(EMPTY_CLASSES, descriptor) >= 0;
    }

    /** Whether one built value may be returned to every call (immutable), or each call needs its own. */
    static boolean reusable(int kind, String descriptor) {
        return !(kind == EMPTY && (indexOf(EMPTY_CLASSES, descriptor) >= 0 || descriptor.equals("Ljava/util/Queue;")
                || descriptor.equals("Ljava/util/Deque;") || descriptor.contains("Stream;")));
    }

    private static int indexOf(String[] names, String descriptor) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(descriptor)) {
                return i;
            }
        }
        return -1;
    }

    /** The value, boxed for a primitive return type (the woven code unboxes it). */
    static Object make(int kind, String literal, String descriptor, Class<?> origin) throws Exception {
        char sort = descriptor.charAt(0);
        if (kind == NULL || sort == 'V') {
            return null;
        }
        if (kind == EMPTY) {
            return empty(descriptor, origin);
        }
        if (kind == CONSTANT) {
            return enumConstant(className(descriptor), literal, origin);
        }
        switch (descriptor) {
            case "Z":
            case "Ljava/lang/Boolean;":
                return Boolean.valueOf(literal);
            case "C":
            case "Ljava/lang/Character;":
                return literal.charAt(0);
            case "B":
            case "Ljava/lang/Byte;":
                return Byte.valueOf(literal);
            case "S":
            case "Ljava/lang/Short;":
                return Short.valueOf(literal);
            case "I":
            case "Ljava/lang/Integer;":
                return Integer.valueOf(literal);
            case "J":
            case "Ljava/lang/Long;":
                return Long.valueOf(literal);
            case "F":
            case "Ljava/lang/Float;":
                return Float.valueOf(literal);
            case "D":
            case "Ljava/lang/Double;":
                return Double.valueOf(literal);
            default:
                return literal; // a string, for String, CharSequence or Object
        }
    }

    private static Object empty(String descriptor, Class<?> origin) throws Exception {
        if (descriptor.startsWith("[")) {
            return Array.newInstance(componentType(descriptor.substring(1), origin), 0);
        }
        switch (descriptor) {
            case "Ljava/lang/String;":
            case "Ljava/lang/CharSequence;":
                return "";
            case "Ljava/lang/Iterable;":
            case "Ljava/util/Collection;":
            case "Ljava/util/List;":
                return Collections.emptyList();
            case "Ljava/util/Set;":
                return Collections.emptySet();
            case "Ljava/util/SortedSet;":
            case "Ljava/util/NavigableSet;":
                return Collections.emptyNavigableSet();
            case "Ljava/util/Map;":
                return Collections.emptyMap();
            case "Ljava/util/SortedMap;":
            case "Ljava/util/NavigableMap;":
                return Collections.emptyNavigableMap();
            case "Ljava/util/Queue;":
            case "Ljava/util/Deque;":
                return new ArrayDeque<Object>();
            case "Ljava/util/Iterator;":
                return Collections.emptyIterator();
            case "Ljava/util/Optional;":
                return Optional.empty();
            case "Ljava/util/OptionalInt;":
                return OptionalInt.empty();
            case "Ljava/util/OptionalLong;":
                return OptionalLong.empty();
            case "Ljava/util/OptionalDouble;":
                return OptionalDouble.empty();
            case "Ljava/util/stream/Stream;":
                return Stream.empty();
            case "Ljava/util/stream/IntStream;":
                return IntStream.empty();
            case "Ljava/util/stream/LongStream;":
                return LongStream.empty();
            case "Ljava/util/stream/DoubleStream;":
                return DoubleStream.empty();
            default:
                return Class.forName(className(descriptor)).getConstructor().newInstance(); // a JDK collection class
        }
    }

    private static Class<?> componentType(String descriptor, Class<?> origin) throws ClassNotFoundException {
        switch (descriptor) {
            case "Z": return boolean.class;
            case "C": return char.class;
            case "B": return byte.class;
            case "S": return short.class;
            case "I": return int.class;
            case "J": return long.class;
            case "F": return float.class;
            case "D": return double.class;
            default:
                return descriptor.startsWith("[") ? Array.newInstance(componentType(descriptor.substring(1), origin), 0).getClass()
                        : Class.forName(className(descriptor), false, origin.getClassLoader());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(String type, String name, Class<?> origin) throws ClassNotFoundException {
        return Enum.valueOf((Class) Class.forName(type, false, origin.getClassLoader()), name);
    }

    private static String className(String descriptor) {
        return descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
    }
}
