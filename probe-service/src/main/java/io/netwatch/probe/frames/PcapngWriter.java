package io.netwatch.probe.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes frames as a PCAPNG section (draft-ietf-opsawg-pcapng): one interface block per link type, since held
 * frames may come from runs on different links, and enhanced packet blocks with nanosecond timestamps. Wireshark,
 * tshark and tcpdump read it.
 */
public final class PcapngWriter {
    public static final String MEDIA_TYPE = "application/x-pcapng";

    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private static final short IF_TSRESOL = 9;

    private PcapngWriter() {
    }

    public static void write(List<HeldFrame> frames, int snaplen, String application, OutputStream out)
            throws IOException {
        byte[] app = application.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer shb = block(SHB, 16 + option(app.length) + 4);
        shb.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(shb, (short) 4, app); // shb_userappl
        shb.putShort((short) 0).putShort((short) 0);
        out.write(finish(shb));

        Map<Integer, Integer> interfaces = new HashMap<>();
        for (HeldFrame f : frames) {
            Integer id = interfaces.get(f.linkType());
            if (id == null) {
                id = interfaces.size();
                interfaces.put(f.linkType(), id);
                ByteBuffer idb = block(IDB, 8 + option(1) + 4);
                idb.putShort((short) f.linkType()).putShort((short) 0).putInt(snaplen);
                putOption(idb, IF_TSRESOL, new byte[] {9}); // nanoseconds
                idb.putShort((short) 0).putShort((short) 0);
                out.write(finish(idb));
            }
            ByteBuffer epb = block(EPB, 20 + padded(f.data().length));
            epb.putInt(id).putInt((int) (f.tsNanos() >>> 32)).putInt((int) f.tsNanos())
                    .putInt(f.data().length).putInt(f.wireLen()).put(f.data());
            epb.position(epb.position() + padded(f.data().length) - f.data().length);
            out.write(finish(epb));
        }
    }

    /** A block buffer with its type and length written; the body follows, then {@link #finish}. */
    private static ByteBuffer block(int type, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(type).putInt(12 + bodyLength);
    }

    private static byte[] finish(ByteBuffer b) {
        b.putInt(b.capacity());
        return b.array();
    }

    private static int option(int valueLength) {
        return 4 + padded(valueLength);
    }

    private static void putOption(ByteBuffer b, short code, byte[] value) {
        b.putShort(code).putShort((short) value.length).put(value);
        b.position(b.position() + padded(value.length) - value.length);
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }
}
