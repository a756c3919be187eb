package dev.chaosagent.weave;

import dev.chaosagent.bootstrap.ReturnValues;
import dev.chaosagent.config.ReturnValue;
import net.bytebuddy.jar.asm.Type;


/**
 * Whether a method's return type can take a {@code return} fault's value, decided when it is
 * woven: primitives never take {@code null}, numbers must fit, {@code empty} needs a type that has
 * an empty value, an enum constant must exist. An application's enum is read as a class file
 * through its loader, not loaded (as {@link ExceptionTypes} does).
 */
final class ReturnTypes {
    private ReturnTypes() {
    }

    /** Null when {@code type} can take {@code value}, else why not: {@code its return type int cannot take null}. */
    static String mismatch(String value, Type type, ClassLoader loader, TypeDescriptions descriptions) {
        int kind = ReturnValue.kind(value);
        String literal = ReturnValue.literal(value);
        String name = type.getClassName();
        String cannot = "its return type " + name + " cannot take " + value;
        String descriptor = type.getDescriptor();
        if (type.getSort() == Type.VOID) {
            return kind == ReturnValue.NULL || kind == ReturnValue.EMPTY ? null
                    : "it returns nothing, so only null or empty (return at once) fits, not " + value;
        }
        boolean reference = type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
        switch (kind) {
            case ReturnValue.NULL:
                return reference ? null : cannot;
            case ReturnValue.EMPTY:
                return ReturnValues.canBeEmpty(descriptor) ? null : cannot + " (empty fits strings, arrays, the JDK's"
                        + " collections, maps, Optionals and streams)";
            case ReturnValue.BOOLEAN:
                return descriptor.equals("Z") || descriptor.equals("Ljava/lang/Boolean;") ? null : cannot;
            case ReturnValue.INTEGER:
                return fitsWhole(descriptor, literal) ? null : cannot;
            case ReturnValue.DECIMAL:
                return isOneOf(descriptor, "F", "D", "Ljava/lang/Float;", "Ljava/lang/Double;") ? null : cannot;
            case ReturnValue.STRING:
                if (isOneOf(descriptor, "C", "Ljava/lang/Character;")) {
                    return literal.length() == 1 ? null : cannot + " (a char takes one character)";
                }
                return isOneOf(descriptor, "Ljava/lang/String;", "Ljava/lang/CharSequence;", "Ljava/lang/Object;") ? null : cannot;
            default:
                return type.getSort() == Type.OBJECT ? descriptions.enumConstantMismatch(loader, name, literal) : cannot;
        }
    }

    private static boolean fitsWhole(String descriptor, String literal) {
        long min;
        long max;
        switch (descriptor) {
            case "B":
            case "Ljava/lang/Byte;":
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
                break;
            case "S":
            case "Ljava/lang/Short;":
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
                break;
            case "I":
            case "Ljava/lang/Integer;":
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
                break;
            case "J":
            case "Ljava/lang/Long;":
                min = Long.MIN_VALUE;
                max = Long.MAX_VALUE;
                break;
            case "F":
            case "D":
            case "Ljava/lang/Float;":
            case "Ljava/lang/Double;":
                return true;
            default:
                return false;
        }
        try {
            long v = Long.parseLong(literal);
            return v >= min && v <= max;
        } catch (NumberFormatException e) {
            return false; // beyond a long
        }
    }

    private static boolean isOneOf(String descriptor, String... types) {
        for (String t : types) {
            if (t.equals(descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** The box class of a primitive type: {@code java/lang/Integer} for {@code int}. */
    static String box(Type primitive) {
        switch (primitive.getSort()) {
            case Type.BOOLEAN:
                return "java/lang/Boolean";
            case Type.CHAR:
                return "java/lang/Character";
            case Type.BYTE:
                return "java/lang/Byte";
            case Type.SHORT:
                return "java/lang/Short";
            case Type.INT:
                return "java/lang/Integer";
            case Type.LONG:
                return "java/lang/Long";
            case Type.FLOAT:
                return "java/lang/Float";
            default:
                return "java/lang/Double";
        }
    }
}
