package dev.chaosagent.weave;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of a weave cache entry's parts: big-endian ints and longs, booleans as one
 * byte, byte arrays and UTF-8 strings after their length. Not {@code DataInputStream} and
 * {@code DataOutputStream}: since JDK 21 they read and write numbers through VarHandles, whose
 * first use in a JVM costs a warm start some 2.5 ms (measured on JDK 25: twenty VarHandle classes
 * loaded to read one entry), for what a few shifts do.
 */
final class EntryFormat {
    private EntryFormat() {
    }

    /** Writes {@code v} big-endian at {@code at}: also how a woven class gets its numbers in place of the placeholders. */
    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    /** The big-endian int at {@code at}; the caller has checked that four bytes are there. */
    static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFFFFFFL);
    }

    /** Appends to a growing array. */
    static final class Writer {
        private byte[] bytes;
        private int size;

        Writer(int expected) {
            bytes = new byte[Math.max(16, expected)];
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
        }

        Writer writeInt(int v) {
            room(4);
            putInt(bytes, size, v);
            size += 4;
            return this;
        }

        Writer writeLong(long v) {
            return writeInt((int) (v >>> 32)).writeInt((int) v);
        }

        Writer writeBoolean(boolean v) {
            room(1);
            bytes[size++] = (byte) (v ? 1 : 0);
            return this;
        }

        /** The bytes themselves, without their length. */
        Writer write(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            return this;
        }

        Writer writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return writeInt(utf8.length).write(utf8);
        }

        /** A string that may be null: a boolean, then the string if there is one. */
        Writer writeNullable(String s) {
            writeBoolean(s != null);
            return s == null ? this : writeString(s);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** Reads from an array between two positions; reading past the end is an {@link IOException}. */
    static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int at;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.at = from;
            this.end = to;
        }

        private int take(int n) throws IOException {
            if (n < 0 || n > end - at) {
                throw new IOException("ends inside a field (" + n + " bytes wanted, " + (end - at) + " left)");
            }
            int from = at;
            at += n;
            return from;
        }

        int readInt() throws IOException {
            return getInt(bytes, take(4));
        }

        long readLong() throws IOException {
            return getLong(bytes, take(8));
        }

        boolean readBoolean() throws IOException {
            int i = take(1);
            if (bytes[i] != 0 && bytes[i] != 1) {
                throw new IOException("a boolean of " + bytes[i]);
            }
            return bytes[i] == 1;
        }

        /** {@code n} bytes, as a new array. */
        byte[] read(int n) throws IOException {
            int i = take(n);
            return Arrays.copyOfRange(bytes, i, i + n);
        }

        /** Whether the next {@code n} bytes equal {@code expected}'s: compared in place, nothing copied. */
        boolean nextEquals(byte[] expected) throws IOException {
            int i = take(expected.length);
            return Arrays.equals(bytes, i, i + expected.length, expected, 0, expected.length);
        }

        String readString() throws IOException {
            int n = readInt();
            int i = take(n);
            return new String(bytes, i, n, StandardCharsets.UTF_8);
        }

        String readNullable() throws IOException {
            return readBoolean() ? readString() : null;
        }

        boolean atEnd() {
            return at == end;
        }

        int position() {
            return at;
        }
    }
}
