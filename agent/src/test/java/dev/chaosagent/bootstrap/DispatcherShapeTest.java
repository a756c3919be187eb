package dev.chaosagent.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape the armed path's speed depends on. C2 inlines a call site that ran often into its
 * caller if the callee has at most {@code FreqInlineSize} (325) bytes of bytecode, however rarely
 * the site runs compared with its caller; the dispatcher's rare path must stay above that, or it
 * is inlined into every woven method at p=0.001 and the calls that do not fire pay for it.
 */
class DispatcherShapeTest {
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void theRarePathIsTooBigForC2ToInlineIntoWovenMethods() throws IOException {
        Map<String, Integer> sizes = codeSizes(Dispatcher.class);
        Integer struck = sizes.get("struck");
        assertNotNull(struck, "Dispatcher's methods: " + sizes);
        assertTrue(struck > FREQ_INLINE_SIZE, "Dispatcher.struck has " + struck + " bytes of bytecode, C2 inlines up to "
                + FREQ_INLINE_SIZE);
    }

    /** Bytes of bytecode per method name (the largest of overloads), read from the class file. */
    private static Map<String, Integer> codeSizes(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            DataInputStream data = new DataInputStream(in);
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            int count = data.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = data.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipBytes(4);
                    case 5, 6 -> {
                        data.skipBytes(8);
                        i++; // takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> data.skipBytes(2);
                    case 15 -> data.skipBytes(3);
                    default -> throw new IOException("constant pool tag " + tag + " at entry " + i);
                }
            }
            data.skipBytes(6); // access, this, super
            data.skipBytes(2 * data.readUnsignedShort()); // interfaces
            skipMembers(data); // fields
            Map<String, Integer> sizes = new HashMap<>();
            int methods = data.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                data.skipBytes(2); // access
                String name = utf8[data.readUnsignedShort()];
                data.skipBytes(2); // descriptor
                int attributes = data.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[data.readUnsignedShort()];
                    int length = data.readInt();
                    if (attribute.equals("Code")) {
                        data.skipBytes(4); // max stack, max locals
                        int code = data.readInt();
                        sizes.merge(name, code, Math::max);
                        data.skipBytes(length - 8);
                    } else {
                        data.skipBytes(length);
                    }
                }
            }
            return sizes;
        }
    }

    private static void skipMembers(DataInputStream data) throws IOException {
        int members = data.readUnsignedShort();
        for (int i = 0; i < members; i++) {
            data.skipBytes(6);
            int attributes = data.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                data.skipBytes(2);
                data.skipBytes(data.readInt());
            }
        }
    }
}
