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
 * stream thread; the bytes are the same, so stores written before read the same.
 */
final class StateBytes {
    private StateBytes() {
    }

    /** Appends to a growing array. */
    static final class Writer {
        private byte[] buf = new byte[256];
        private int len;

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        Writer writeByte(int v) {
            room(1);
            buf[len++] = (byte) v;
            return this;
        }

        Writer writeBoolean(boolean v) {
            return writeByte(v ? 1 : 0);
        }

        Writer writeInt(int v) {
            room(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
            return this;
        }

        Writer writeLong(long v) {
            writeInt((int) (v >>> 32));
            return writeInt((int) v);
        }

        /** As {@link DataOutputStream#writeUTF}: ASCII is copied as it is, other text takes the stream's own path. */
        /** A string or null. */
        Writer writeOptionalUTF(String s) {
            writeBoolean(s != null);
            return s == null ? this : writeUTF(s);
        }

        /** Up to 255 names (a flow's DNS names, hosts, SNIs). */
        Writer writeNames(List<String> names) {
            writeByte(names.size());
            for (String s : names) {
                writeUTF(s);
            }
            return this;
        }

        Writer writeUTF(String s) {
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

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads an array written by {@link Writer} (or by a DataOutputStream). */
    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        private void need(int n) {
            if (pos + n > buf.length) {
                throw new UncheckedIOException(new java.io.EOFException(
                        "state cut short: " + n + " more bytes wanted at " + pos + " of " + buf.length));
            }
        }

        int readByte() {
            need(1);
            return buf[pos++];
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        int readInt() {
            need(4);
            int v = (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                    | buf[pos + 3] & 0xff;
            pos += 4;
            return v;
        }

        long readLong() {
            return (long) readInt() << 32 | readInt() & 0xffffffffL;
        }

        String readOptionalUTF() {
            return readBoolean() ? readUTF() : null;
        }

        List<String> readNames() {
            int n = readByte();
            List<String> l = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                l.add(readUTF());
            }
            return l;
        }

        String readUTF() {
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
