package dev.chaosagent.weave;

import net.bytebuddy.jar.asm.ClassReader;

import java.util.HashMap;
import java.util.Map;

/**
 * The integer and long constants of a class file's constant pool, with where each value's
 * big-endian bytes sit in the file, as ASM's {@link ClassReader} indexes them: where the weaver
 * writes a woven call's numbers after ASM wrote the class ({@link ClassWeaver.Placeholders}).
 */
final class ConstantPool {
    private static final int INTEGER = 3;
    private static final int LONG = 5;

    /** Value to the offset of its bytes in the class file; the first entry of a value when it repeats. */
    final Map<Integer, Integer> ints = new HashMap<>();
    final Map<Long, Integer> longs = new HashMap<>();

    ConstantPool(ClassReader reader) {
        for (int i = 1; i < reader.getItemCount(); i++) {
            int at = reader.getItem(i); // 0 for the second entry a long or double takes
            if (at == 0) {
                continue;
            }
            int tag = reader.readByte(at - 1);
            if (tag == INTEGER) {
                ints.putIfAbsent(reader.readInt(at), at);
            } else if (tag == LONG) {
                longs.putIfAbsent(reader.readLong(at), at);
            }
        }
    }
}
