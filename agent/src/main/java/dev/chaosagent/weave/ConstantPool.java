package dev.chaosagent.weave;

import java.util.HashMap;
import java.util.Map;

/**
 * The integer and long constants of a class file's constant pool, with where each value sits in
 * the file. Just enough class-file reading to put the woven call's numbers in after ASM wrote the
 * class ({@link WovenClass}), without ASM: the woven code loads them with {@code ldc}, so each is
 * one entry whose four or eight bytes can be overwritten in place.
 */
final class ConstantPool {
    private static final int INTEGER = 3;
    private static final int LONG = 5;

    /** Value to the offset of its big-endian bytes in the class file; the first entry of a value when it repeats. */
    final Map<Integer, Integer> ints = new HashMap<>();
    final Map<Long, Integer> longs = new HashMap<>();

    private ConstantPool() {
    }

    /** @throws IllegalArgumentException when the bytes are not a class file whose pool this can walk */
    static ConstantPool read(byte[] c) {
        if (c.length < 10 || u4(c, 0) != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        ConstantPool pool = new ConstantPool();
        int count = u2(c, 8);
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = c[at] & 0xFF;
            switch (tag) {
                case 1: // Utf8
                    at += 3 + u2(c, at + 1);
                    break;
                case INTEGER:
                    pool.ints.putIfAbsent(u4(c, at + 1), at + 1);
                    at += 5;
                    break;
                case 4: // Float
                    at += 5;
                    break;
                case LONG:
                    pool.longs.putIfAbsent(((long) u4(c, at + 1) << 32) | (u4(c, at + 5) & 0xFFFFFFFFL), at + 1);
                    at += 9;
                    i++; // a long takes two entries
                    break;
                case 6: // Double
                    at += 9;
                    i++;
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    at += 3;
                    break;
                case 15: // MethodHandle
                    at += 4;
                    break;
                case 9: case 10: case 11: case 12: case 17: case 18: // refs, NameAndType, Dynamic, InvokeDynamic
                    at += 5;
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + tag + " at entry " + i);
            }
        }
        return pool;
    }

    static int u2(byte[] c, int at) {
        return (c[at] & 0xFF) << 8 | c[at + 1] & 0xFF;
    }

    static int u4(byte[] c, int at) {
        return (c[at] & 0xFF) << 24 | (c[at + 1] & 0xFF) << 16 | (c[at + 2] & 0xFF) << 8 | c[at + 3] & 0xFF;
    }

    static void putInt(byte[] c, int at, int v) {
        c[at] = (byte) (v >>> 24);
        c[at + 1] = (byte) (v >>> 16);
        c[at + 2] = (byte) (v >>> 8);
        c[at + 3] = (byte) v;
    }

    static void putLong(byte[] c, int at, long v) {
        putInt(c, at, (int) (v >>> 32));
        putInt(c, at + 4, (int) v);
    }
}
