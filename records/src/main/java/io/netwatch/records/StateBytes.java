package io.netwatch.records;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte layout of {@link java.io.DataOutputStream} (big-endian numbers, strings as modified UTF-8 behind a
 * two-byte length), written into and read from a plain array. Every packet reads and writes its flow's state, and
 * the stream classes (synchronized writes, a copy per string, an allocation per read) were a tenth of the flow
 * stream thread; the bytes are the same, so stores written before read the same. The compact form of the services'
 * internal records and state ({@link CompactSerde}).
 */
public final class StateBytes {
    private StateBytes() {
    }

    /** Appends to a growing array. */
    public static final class Writer {
        private byte[] buf = new byte[256];
        private int len;

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        public Writer writeByte(int v) {
            room(1);
            buf[len++] = (byte) v;
            return this;
        }

        public Writer writeBoolean(boolean v) {
            return writeByte(v ? 1 : 0);
        }

        public Writer writeInt(int v) {
            room(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
            return this;
        }

        public Writer writeLong(long v) {
            writeInt((int) (v >>> 32));
            return writeInt((int) v);
        }

        public Writer writeDouble(double v) {
            return writeLong(Double.doubleToLongBits(v));
        }

        /** A number that is never negative, or null (written as -1). */
        public Writer writeOptionalInt(Integer v) {
            return writeInt(v == null ? -1 : v);
        }

        /** A string or null. */
        public Writer writeOptionalUTF(String s) {
            writeBoolean(s != null);
            return s == null ? this : writeUTF(s);
        }

        /** Up to 255 names (a flow's DNS names, hosts, SNIs). */
        public Writer writeNames(List<String> names) {
            writeByte(names.size());
            for (String s : names) {
                writeUTF(s);
            }
            return this;
        }

        /** As {@link DataOutputStream#writeUTF}: ASCII is copied as it is, other text takes the stream's own path. */
        public Writer writeUTF(String s) {
            int n = s.length();
            if (n <= 65_535) {
                room(2 + n);
                int at = len + 2;
                boolean ascii = true;
                for (int i = 0; i < n; i++) {
                    char c = s.charAt(i);
                    if (c == 0 || c >= 0x80) {
                        ascii = false;
                        break;
                    }
                    buf[at + i] = (byte) c;
                }
                if (ascii) {
                    buf[len] = (byte) (n >>> 8);
                    buf[len + 1] = (byte) n;
                    len += 2 + n;
                    return this;
                }
            }
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream(2 + 3 * n);
                new DataOutputStream(b).writeUTF(s);
                byte[] encoded = b.toByteArray();
                room(encoded.length);
                System.arraycopy(encoded, 0, buf, len, encoded.length);
                len += encoded.length;
                return this;
            } catch (IOException e) { // longer than 65,535 bytes encoded: the stream says so
                throw new UncheckedIOException(e);
            }
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads an array written by {@link Writer} (or by a DataOutputStream). */
    public static final class Reader {
        private final byte[] buf;
        private int pos;

        public Reader(byte[] buf) {
            this.buf = buf;
        }

        /** A reader past the format byte, which must be {@code version}; {@code what} names the record in the error. */
        public static Reader versioned(byte[] buf, int version, String what) {
            Reader r = new Reader(buf);
            int v = r.readByte();
            if (v != version) {
                throw new IllegalStateException(what + " of unknown format version " + v);
            }
            return r;
        }

        private void need(int n) {
            if (pos + n > buf.length) {
                throw new UncheckedIOException(new java.io.EOFException(
                        "state cut short: " + n + " more bytes wanted at " + pos + " of " + buf.length));
            }
        }

        public int readByte() {
            need(1);
            return buf[pos++];
        }

        public boolean readBoolean() {
            return readByte() != 0;
        }

        public int readInt() {
            need(4);
            int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                    | buf[pos + 3] & 0xff;
            pos += 4;
            return v;
        }

        public long readLong() {
            return (long) readInt() << 32 | readInt() & 0xffffffffL;
        }

        public double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        /** As written by {@link Writer#writeOptionalInt}. */
        public Integer readOptionalInt() {
            int v = readInt();
            return v < 0 ? null : v;
        }

        public String readOptionalUTF() {
            return readBoolean() ? readUTF() : null;
        }

        public List<String> readNames() {
            int n = readByte();
            List<String> l = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                l.add(readUTF());
            }
            return l;
        }

        public String readUTF() {
            need(2);
            int n = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
            need(2 + n);
            for (int i = pos + 2; i < pos + 2 + n; i++) {
                if (buf[i] < 0) { // a byte of a multi-byte character: the stream's own decoding
                    try {
                        String s = new DataInputStream(new ByteArrayInputStream(buf, pos, 2 + n)).readUTF();
                        pos += 2 + n;
                        return s;
                    } catch (IOException e) {
                        throw new UncheckedIOException("corrupt text in state", e);
                    }
                }
            }
            String s = new String(buf, pos + 2, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            pos += 2 + n;
            return s;
        }
    }
}
