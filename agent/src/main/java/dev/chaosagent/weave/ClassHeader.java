package dev.chaosagent.weave;

import java.nio.charset.StandardCharsets;

/**
 * The direct supertypes named in a class file's header (JVMS 4.1): one walk over the constant
 * pool to find where each entry starts, then the names of the superclass and interfaces, decoded
 * alone. A {@code ^} rule asks this of every class that loads, so it does no more than that
 * (ASM's {@code ClassReader} also indexes and caches for the reading that follows, which here
 * never comes).
 */
final class ClassHeader {
    private static final int MAGIC = 0xCAFEBABE;
    /** The superclass of most classes: {@link #read} gives this very string for it, decoding nothing. */
    static final String OBJECT = "java/lang/Object";
    private static final byte[] OBJECT_BYTES = OBJECT.getBytes(StandardCharsets.ISO_8859_1);

    /** The superclass (internal name; {@link #OBJECT} itself for {@code java.lang.Object}), or null for that class and module-info. */
    final String superName;
    /** The interfaces (internal names), in declaration order. */
    final String[] interfaces;

    private ClassHeader(String superName, String[] interfaces) {
        this.superName = superName;
        this.interfaces = interfaces;
    }

    /** @throws IllegalArgumentException when the bytes are not a class file this can read */
    static ClassHeader read(byte[] b) {
        if (b.length < 10 || u4(b, 0) != MAGIC) {
            throw new IllegalArgumentException("not a class file");
        }
        int count = u2(b, 8);
        int[] starts = new int[count];
        int at = 10;
        for (int i = 1; i < count; i++) {
            starts[i] = at;
            int tag = b[at];
            switch (tag) {
                case 1: // Utf8 (u2 written out: this loop runs interpreted for a JVM's first few thousand classes)
                    at += 3 + (((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF));
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    at += 3;
                    break;
                case 15: // MethodHandle
                    at += 4;
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: // four bytes of data
                    at += 5;
                    break;
                case 5: case 6: // Long, Double: two entries
                    at += 9;
                    i++;
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + tag + " at " + at);
            }
        }
        // access_flags, this_class, super_class, interfaces_count, interfaces
        int superIndex = u2(b, at + 4);
        int n = u2(b, at + 6);
        String[] interfaces = new String[n];
        for (int i = 0; i < n; i++) {
            interfaces[i] = className(b, starts, u2(b, at + 8 + 2 * i));
        }
        return new ClassHeader(superIndex == 0 ? null : className(b, starts, superIndex), interfaces);
    }

    private static String className(byte[] b, int[] starts, int classIndex) {
        int entry = starts[classIndex];
        if (b[entry] != 7) {
            throw new IllegalArgumentException("constant " + classIndex + " is not a class");
        }
        int utf8 = starts[u2(b, entry + 1)];
        if (b[utf8] != 1) {
            throw new IllegalArgumentException("class name of constant " + classIndex + " is not text");
        }
        int length = u2(b, utf8 + 1);
        return isObject(b, utf8 + 3, length) ? OBJECT : modifiedUtf8(b, utf8 + 3, length);
    }

    private static boolean isObject(byte[] b, int from, int length) {
        if (length != OBJECT_BYTES.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[from + i] != OBJECT_BYTES[i]) {
                return false;
            }
        }
        return true;
    }

    /** JVMS 4.4.7: ASCII as itself, the rest in two or three bytes a char (a supplementary character as its two surrogates). */
    private static String modifiedUtf8(byte[] b, int from, int length) {
        int end = from + length;
        for (int i = from; i < end; i++) {
            if (b[i] < 0) {
                char[] chars = new char[length];
                int n = 0;
                for (int j = from; j < end; j++) {
                    int x = b[j] & 0xFF;
                    if (x < 0x80) {
                        chars[n++] = (char) x;
                    } else if (x < 0xE0) {
                        chars[n++] = (char) (((x & 0x1F) << 6) | (b[++j] & 0x3F));
                    } else {
                        int y = b[++j] & 0x3F;
                        chars[n++] = (char) (((x & 0x0F) << 12) | (y << 6) | (b[++j] & 0x3F));
                    }
                }
                return new String(chars, 0, n);
            }
        }
        return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
