package io.netwatch.probe.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic pcap (micro- and nanosecond, either byte order) and pcapng (sections of either byte order, many
 * interfaces with their own link types and timestamp resolutions) in pure Java. The format is sniffed from the
 * magic number, never from the file name. A file cut short ends the read quietly with {@link #truncated()} set;
 * a corrupt record length, from which no later frame can be found, ends it with a {@link CaptureFormatException}.
 */
public final class CaptureFileReader implements Closeable {
    private static final int PCAP_MICRO = 0xa1b2c3d4;
    private static final int PCAP_NANO = 0xa1b23c4d;
    private static final int PCAPNG_SHB = 0x0a0d0d0a;
    private static final int PCAPNG_BOM = 0x1a2b3c4d;
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final boolean pcapng;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int limit;
    private long fileOffset; // offset in the file of buf[0]
    private boolean eof;
    private boolean truncated;
    private long frames;

    // classic pcap
    private boolean bigEndian;
    private boolean nanoResolution;
    private int pcapLinkType;

    // pcapng: per-section interface table
    private final List<Interface> interfaces = new ArrayList<>();

    private record Interface(int linkType, boolean powerOfTwo, int exponent, long offsetSeconds) {
        long toNanos(long units) {
            long nanos;
            if (powerOfTwo) {
                long whole = units >>> exponent;
                long frac = units & ((1L << exponent) - 1);
                nanos = whole * 1_000_000_000L + (exponent >= 34 ? (long) (frac * 1e9 / Math.pow(2, exponent))
                        : (frac * 1_000_000_000L) >>> exponent);
            } else if (exponent <= 9) {
                nanos = units * POW10[9 - exponent];
            } else {
                nanos = units / POW10[Math.min(18, exponent - 9)];
            }
            return nanos + offsetSeconds * 1_000_000_000L;
        }
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private CaptureFileReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        if (!ensure(4)) {
            throw new CaptureFormatException(path + " is not a capture file: it is shorter than any capture header");
        }
        int magicBe = readIntBe(pos);
        if (magicBe == PCAPNG_SHB) {
            pcapng = true;
        } else {
            pcapng = false;
            readPcapHeader(magicBe);
        }
    }

    /** Opens a capture file; the error says plainly when the file is missing or is not a pcap or pcapng file. */
    public static CaptureFileReader open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such capture file");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new CaptureFileReader(path, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void readPcapHeader(int magicBe) throws IOException {
        if (magicBe == PCAP_MICRO || magicBe == PCAP_NANO) {
            bigEndian = true;
        } else if (Integer.reverseBytes(magicBe) == PCAP_MICRO || Integer.reverseBytes(magicBe) == PCAP_NANO) {
            bigEndian = false;
        } else {
            throw new CaptureFormatException(path + " is not a pcap or pcapng file (magic number 0x"
                    + Integer.toHexString(magicBe) + ")");
        }
        nanoResolution = (bigEndian ? magicBe : Integer.reverseBytes(magicBe)) == PCAP_NANO;
        if (!ensure(24)) {
            throw new CaptureFormatException(path + " is cut short inside its pcap file header");
        }
        // The upper bits of the link-type field may carry FCS information (pcap-savefile(5)).
        pcapLinkType = readInt(pos + 20) & 0x0fffffff & 0xffff;
        pos += 24;
    }

    /** Whether the file is pcapng; otherwise classic pcap. */
    public boolean isPcapng() {
        return pcapng;
    }

    /** The link type of a classic pcap file, or of the first interface of a pcapng file once read (else -1). */
    public int linkType() {
        if (!pcapng) {
            return pcapLinkType;
        }
        return interfaces.isEmpty() ? -1 : interfaces.get(0).linkType;
    }

    public boolean truncated() {
        return truncated;
    }

    public long frames() {
        return frames;
    }

    /** Delivers the next frame to the sink; false at the end of the file. */
    public boolean next(FrameSink sink) throws IOException {
        return pcapng ? nextPcapng(sink) : nextPcap(sink);
    }

    /** Delivers every remaining frame; returns how many. */
    public long readAll(FrameSink sink) throws IOException {
        long n = 0;
        while (next(sink)) {
            n++;
        }
        return n;
    }

    private boolean nextPcap(FrameSink sink) throws IOException {
        if (!ensure(16)) {
            truncated |= limit > pos;
            return false;
        }
        long sec = readInt(pos) & 0xffffffffL;
        long frac = readInt(pos + 4) & 0xffffffffL;
        int capLen = readInt(pos + 8);
        int wireLen = readInt(pos + 12);
        if (capLen < 0 || capLen > MAX_RECORD) {
            throw new CaptureFormatException(path + ": record " + (frames + 1) + " at byte " + (fileOffset + pos)
                    + " claims " + Integer.toUnsignedString(capLen) + " captured bytes; the file is corrupt from here");
        }
        if (!ensure(16 + capLen)) {
            truncated = true;
            return false;
        }
        long tsNanos = sec * 1_000_000_000L + (nanoResolution ? frac : frac * 1000);
        pos += 16;
        frames++;
        sink.frame(tsNanos, pcapLinkType, buf, pos, capLen, wireLen < capLen ? capLen : wireLen);
        pos += capLen;
        return true;
    }

    private boolean nextPcapng(FrameSink sink) throws IOException {
        while (true) {
            if (!ensure(12)) {
                truncated |= limit > pos;
                return false;
            }
            int type = readInt(pos);
            if (type == PCAPNG_SHB) {
                readSectionHeader();
                continue;
            }
            int len = readInt(pos + 4);
            if (len < 12 || len > MAX_RECORD || (len & 3) != 0) {
                throw new CaptureFormatException(path + ": pcapng block at byte " + (fileOffset + pos)
                        + " has an invalid length " + Integer.toUnsignedString(len) + "; the file is corrupt from here");
            }
            if (!ensure(len)) {
                truncated = true;
                return false;
            }
            int body = pos + 8;
            int bodyEnd = pos + len - 4;
            boolean delivered = false;
            switch (type) {
                case 1 -> readInterface(body, bodyEnd);
                case 6 -> delivered = packet(body, bodyEnd, true, sink);
                case 3 -> delivered = simplePacket(body, bodyEnd, sink);
                case 2 -> delivered = packet(body, bodyEnd, false, sink);
                default -> { } // name resolution, statistics, custom blocks: not needed for decoding
            }
            pos += len;
            if (delivered) {
                return true;
            }
        }
    }

    private void readSectionHeader() throws IOException {
        if (!ensure(12)) {
            truncated = true;
            return;
        }
        int bomBe = readIntBe(pos + 8);
        if (bomBe == PCAPNG_BOM) {
            bigEndian = true;
        } else if (Integer.reverseBytes(bomBe) == PCAPNG_BOM) {
            bigEndian = false;
        } else {
            throw new CaptureFormatException(path + ": pcapng section header at byte " + (fileOffset + pos)
                    + " has no valid byte-order magic");
        }
        int len = readInt(pos + 4);
        if (len < 28 || len > MAX_RECORD) {
            throw new CaptureFormatException(path + ": pcapng section header has an invalid length " + len);
        }
        if (!ensure(len)) {
            truncated = true;
            pos = limit;
            return;
        }
        interfaces.clear(); // interface ids are per section
        pos += len;
    }

    private void readInterface(int body, int bodyEnd) {
        if (bodyEnd - body < 8) {
            interfaces.add(new Interface(-1, false, 6, 0));
            return;
        }
        int linkType = readShort(body);
        boolean powerOfTwo = false;
        int exponent = 6;
        long offset = 0;
        int o = body + 8;
        while (o + 4 <= bodyEnd) {
            int code = readShort(o);
            int olen = readShort(o + 2);
            if (code == 0 || o + 4 + olen > bodyEnd) {
                break;
            }
            if (code == 9 && olen >= 1) {
                int v = buf[o + 4] & 0xff;
                powerOfTwo = (v & 0x80) != 0;
                exponent = v & 0x7f;
                if (!powerOfTwo && exponent > 27 || powerOfTwo && exponent > 62) {
                    exponent = 6; // nonsense resolution: fall back to the default rather than overflow
                    powerOfTwo = false;
                }
            } else if (code == 14 && olen >= 8) {
                offset = readLong(o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, powerOfTwo, exponent, offset));
    }

    /** Enhanced (6) and obsolete (2) packet blocks differ only in the width of the interface id. */
    private boolean packet(int body, int bodyEnd, boolean enhanced, FrameSink sink) {
        if (bodyEnd - body < 20) {
            return false;
        }
        int ifId = enhanced ? readInt(body) : readShort(body);
        long units = ((readInt(body + 4) & 0xffffffffL) << 32) | (readInt(body + 8) & 0xffffffffL);
        int capLen = readInt(body + 12);
        int wireLen = readInt(body + 16);
        int data = body + 20;
        if (capLen < 0 || capLen > bodyEnd - data) {
            capLen = bodyEnd - data; // a lying captured length: keep what the block really holds
        }
        return deliver(ifId, units, data, capLen, wireLen, sink);
    }

    private boolean simplePacket(int body, int bodyEnd, FrameSink sink) {
        if (bodyEnd - body < 4) {
            return false;
        }
        int wireLen = readInt(body);
        int capLen = Math.min(Math.max(wireLen, 0), bodyEnd - body - 4);
        // A simple packet block has no timestamp; 0 says so.
        return deliverTs(0, 0, body + 4, capLen, wireLen, sink);
    }

    private boolean deliver(int ifId, long units, int data, int capLen, int wireLen, FrameSink sink) {
        long tsNanos = 0;
        if (ifId >= 0 && ifId < interfaces.size()) {
            tsNanos = interfaces.get(ifId).toNanos(units);
        }
        return deliverTs(ifId, tsNanos, data, capLen, wireLen, sink);
    }

    private boolean deliverTs(int ifId, long tsNanos, int data, int capLen, int wireLen, FrameSink sink) {
        int linkType = ifId >= 0 && ifId < interfaces.size() ? interfaces.get(ifId).linkType : -1;
        frames++;
        sink.frame(tsNanos, linkType, buf, data, capLen, wireLen < capLen ? capLen : wireLen);
        return true;
    }

    /** Makes at least n bytes available from pos; false if the file ends first. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
        }
        fileOffset += pos;
        limit -= pos;
        pos = 0;
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (limit < n) {
            bb.limit(buf.length).position(limit);
            int r = channel.read(bb);
            if (r < 0) {
                eof = true;
                return false;
            }
            limit += r;
        }
        // Fill the rest opportunistically so small records do not cost a read call each.
        bb.limit(buf.length).position(limit);
        int r = channel.read(bb);
        if (r < 0) {
            eof = true;
        } else {
            limit += r;
        }
        return true;
    }

    private int readIntBe(int o) {
        return ((buf[o] & 0xff) << 24) | ((buf[o + 1] & 0xff) << 16) | ((buf[o + 2] & 0xff) << 8) | (buf[o + 3] & 0xff);
    }

    private int readInt(int o) {
        int v = readIntBe(o);
        return bigEndian ? v : Integer.reverseBytes(v);
    }

    private int readShort(int o) {
        int v = ((buf[o] & 0xff) << 8) | (buf[o + 1] & 0xff);
        return bigEndian ? v : ((v & 0xff) << 8) | (v >>> 8);
    }

    private long readLong(int o) {
        long hi = readInt(o) & 0xffffffffL;
        long lo = readInt(o + 4) & 0xffffffffL;
        return bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
