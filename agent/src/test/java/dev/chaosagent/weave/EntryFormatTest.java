package dev.chaosagent.weave;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weave cache's entry fields: read back as written, and a short or damaged entry never reads as values. */
class EntryFormatTest {
    private static byte[] sample() {
        return new EntryFormat.Writer(1).writeInt(-2).writeLong(0x0123456789ABCDEFL).writeBoolean(true)
                .writeString("dev.acme.Caf\u00e9#pay(\u20ac)").writeNullable(null).writeNullable("").write(new byte[] {9, 8, 7})
                .toByteArray();
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws IOException {
        byte[] b = sample();
        EntryFormat.Reader in = new EntryFormat.Reader(b, 0, b.length);
        assertEquals(-2, in.readInt());
        assertEquals(0x0123456789ABCDEFL, in.readLong());
        assertTrue(in.readBoolean());
        assertEquals("dev.acme.Caf\u00e9#pay(\u20ac)", in.readString());
        assertNull(in.readNullable());
        assertEquals("", in.readNullable());
        assertFalse(in.atEnd());
        assertTrue(in.nextEquals(new byte[] {9, 8, 7}));
        assertTrue(in.atEnd());
        assertEquals(b.length, in.position());
    }

    @Test
    void aTruncatedOrDamagedEntryIsAnIOExceptionNeverAWrongValue() {
        byte[] b = sample();
        for (int cut = 0; cut < b.length; cut++) {
            EntryFormat.Reader in = new EntryFormat.Reader(b, 0, cut);
            IOException e = assertThrows(IOException.class, () -> {
                in.readInt();
                in.readLong();
                in.readBoolean();
                in.readString();
                in.readNullable();
                in.readNullable();
                in.nextEquals(new byte[] {9, 8, 7});
            }, "cut at " + cut);
            assertTrue(e.getMessage().startsWith("ends inside a field"), e.getMessage());
        }
        byte[] badBoolean = {2};
        assertThrows(IOException.class, () -> new EntryFormat.Reader(badBoolean, 0, 1).readBoolean());
        byte[] negativeLength = new EntryFormat.Writer(4).writeInt(-1).toByteArray();
        assertThrows(IOException.class, () -> new EntryFormat.Reader(negativeLength, 0, 4).readString());
        assertArrayEquals(new byte[] {0, 0, 0, 5}, new EntryFormat.Writer(0).writeInt(5).toByteArray());
    }
}
