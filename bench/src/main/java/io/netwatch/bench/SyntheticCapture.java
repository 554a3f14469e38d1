package io.netwatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap of a given number of Ethernet frames in one of two mixes ({@link Mix}). Addresses and ports
 * vary over many flows, so flow tables see real cardinality. Checksums are left zero, as captures with checksum
 * offload have them. Frames are spaced evenly at the capture's rate, in the order the mix makes them.
 *
 * <p>{@link Mix#SHORT_FLOWS}, the bench's mix since it was written: conversations of 8.5 frames on average, each TCP
 * one with a cleartext HTTP request and response (handshake, request, response head, bulk data, FIN close), a share
 * over IPv6 and 802.1Q, DNS queries and answers over UDP, ICMP echo pairs and ARP: a new flow every 6 frames, the
 * hardest case for anything that works per flow. {@link Mix#CAMPUS}: conversations whose lengths follow a measured
 * distribution (see {@link CampusMix}), 75 frames each on average, most of them TLS.
 *
 * <p>For latency measurements, every {@code alertEvery}-th conversation may be followed by one TCP segment with
 * no flags (an nmap NULL-scan probe) from a source of its own in 100.64.0.0/10: the detection-service's
 * {@code tcp_flag_anomaly} rule raises an alert on that single packet, so each such packet has exactly one alert,
 * whose {@code ts} is the packet's own.
 */
public final class SyntheticCapture {
    /** Where captures start in time unless told otherwise (2023-11-14). */
    public static final long DEFAULT_START_MICROS = 1_700_000_000_000_000L;
    /** Packets per second of capture time unless told otherwise: 10 µs between two frames. */
    public static final double DEFAULT_RATE_PPS = 100_000;

    /** What traffic a capture holds. */
    public enum Mix {
        SHORT_FLOWS("short-flows"),
        CAMPUS("campus");

        public final String label;

        Mix(String label) {
            this.label = label;
        }

        public static Mix of(String s) {
            for (Mix m : values()) {
                if (m.label.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mix must be short-flows or campus, not " + s);
        }
    }

    private static final int SITE_ROUTER = 0x0a000001;
    private static final int PROVIDER_ROUTER = 0xc0000201;

    private final OutputStream out;
    /** Whether IP frames carry the two routers' MAC addresses rather than their hosts' own. */
    boolean routerMacs;
    private final ByteBuffer frame = ByteBuffer.allocate(2048);
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private final long startMicros;
    private final double ratePps;
    private long written;
    private long alertPackets;

    private SyntheticCapture(OutputStream out, long startMicros, double ratePps) {
        if (!(ratePps > 0)) {
            throw new IllegalArgumentException("capture rate must be positive, not " + ratePps);
        }
        this.out = out;
        this.startMicros = startMicros;
        this.ratePps = ratePps;
    }

    /** Writes {@code packets} frames to {@code file}; returns the number written. */
    public static long write(Path file, long packets) throws IOException {
        return write(file, packets, DEFAULT_START_MICROS, 0);
    }

    /**
     * Writes {@code packets} frames from {@code startMicros} on, with an alert-raising NULL segment after every
     * {@code alertEvery}-th conversation (0: none); returns the number of those segments written.
     */
    public static long write(Path file, long packets, long startMicros, int alertEvery) throws IOException {
        return write(file, packets, startMicros, alertEvery, DEFAULT_RATE_PPS);
    }

    /**
     * As {@link #write(Path, long, long, int)}, with {@code ratePps} packets per second of capture time: replayed
     * at speed 1, such a capture's event time runs with the wall clock, as live traffic's does at that rate.
     */
    public static long write(Path file, long packets, long startMicros, int alertEvery, double ratePps)
            throws IOException {
        return write(file, packets, startMicros, alertEvery, ratePps, Mix.SHORT_FLOWS);
    }

    /** As {@link #write(Path, long, long, int, double)}, in the given mix. */
    public static long write(Path file, long packets, long startMicros, int alertEvery, double ratePps, Mix mix)
            throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            SyntheticCapture w = new SyntheticCapture(os, startMicros, ratePps);
            w.globalHeader();
            if (mix == Mix.CAMPUS) {
                new CampusMix(w, ratePps).write(packets, alertEvery);
                return alertEvery > 0 ? w.alertPackets : w.written;
            }
            int flow = 0;
            while (w.written < packets) {
                w.conversation(flow, packets);
                flow++;
                if (alertEvery > 0 && flow % alertEvery == 0) {
                    w.nullScanProbe(packets);
                }
            }
            return alertEvery > 0 ? w.alertPackets : w.written;
        }
    }

    /** The source address of the {@code n}-th alert-raising segment: 100.64.0.0/10, one address each. */
    public static String alertSource(long n) {
        int a = 0x64400000 | (int) (n % 0x3fffff) + 1;
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    void nullScanProbe(long limit) throws IOException {
        if (written >= limit) {
            return;
        }
        int src = 0x64400000 | (int) (alertPackets % 0x3fffff) + 1;
        emitTcp(false, false, src, 0xc6336401, 40000 + (int) (alertPackets % 20000), 80, 0, 1, 0, 0, limit);
        alertPackets++;
    }

    private void globalHeader() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(b.array());
    }

    private void conversation(int n, long limit) throws IOException {
        int client = 0x0a000000 | (n % 5000) + 2;          // 10.0.x.y: 5000 clients
        int server = 0xc6336400 | (n % 250) + 1;           // 198.51.100.x: 250 servers
        int sport = 20000 + (n * 7) % 40000;
        switch (n % 10) {
            case 0, 1, 2, 3, 4, 5 -> tcpConversation(client, server, sport, n % 3 == 0 ? 443 : 80, n % 6 == 5, limit);
            case 6, 7 -> dns(client, sport, n, limit);
            case 8 -> icmpEcho(client, server, n, limit);
            default -> arp(client, limit);
        }
    }

    void tcpConversation(int c, int s, int sport, int dport, boolean vlan, long limit) throws IOException {
        long seqC = 1000;
        long seqS = 5000;
        boolean v6 = sport % 4 == 0;
        emitTcp(v6, vlan, c, s, sport, dport, 0x02, seqC, 0, 0, limit);
        emitTcp(v6, vlan, s, c, dport, sport, 0x12, seqS, seqC + 1, 0, limit);
        emitTcp(v6, vlan, c, s, sport, dport, 0x10, seqC + 1, seqS + 1, 0, limit);
        emitTcp(v6, vlan, c, s, sport, dport, 0x18, seqC + 1, seqS + 1, -1, limit);        // HTTP request
        emitTcp(v6, vlan, s, c, dport, sport, 0x18, seqS + 1, seqC + 120, -2, limit);      // HTTP response head
        for (int i = 0; i < 4; i++) {
            emitTcp(v6, vlan, s, c, dport, sport, 0x10, seqS + 200 + i * 1200, seqC + 120, 1200, limit);
        }
        emitTcp(v6, vlan, c, s, sport, dport, 0x10, seqC + 120, seqS + 5000, 0, limit);
        emitTcp(v6, vlan, c, s, sport, dport, 0x11, seqC + 120, seqS + 5000, 0, limit);
        emitTcp(v6, vlan, s, c, dport, sport, 0x11, seqS + 5000, seqC + 121, 0, limit);
        emitTcp(v6, vlan, c, s, sport, dport, 0x10, seqC + 121, seqS + 5001, 0, limit);
    }

    private static final byte[] HTTP_REQUEST = ("GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
            + "User-Agent: netwatch-bench/1.0\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + "Content-Length: 4800\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private void emitTcp(boolean v6, boolean vlan, int src, int dst, int sp, int dp, int flags, long seq, long ack,
                         int payload, long limit) throws IOException {
        byte[] data = payload == -1 ? HTTP_REQUEST : payload == -2 ? HTTP_RESPONSE : null;
        tcp(v6, vlan, src, dst, sp, dp, flags, seq, ack, data, data != null ? data.length : Math.max(payload, 0),
                limit);
    }

    /** A TCP segment carrying {@code data}, or {@code len} filler bytes when it is null. */
    void tcp(boolean v6, boolean vlan, int src, int dst, int sp, int dp, int flags, long seq, long ack, byte[] data,
             int len, long limit) throws IOException {
        if (written >= limit) {
            return;
        }
        int plen = data != null ? data.length : len;
        frame.clear();
        ethernet(vlan, v6 ? 0x86dd : 0x0800, src, dst);
        ipHeader(v6, 6, src, dst, 20 + plen);
        frame.putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 64240).putInt(0);
        payload(data, plen);
        emit();
    }

    /** One UDP datagram of {@code len} filler bytes. */
    void udp(int src, int dst, int sp, int dp, int len, long limit) throws IOException {
        if (written >= limit) {
            return;
        }
        frame.clear();
        ethernet(false, 0x0800, src, dst);
        ipHeader(false, 17, src, dst, 8 + len);
        frame.putShort((short) sp).putShort((short) dp).putShort((short) (8 + len)).putShort((short) 0);
        payload(null, len);
        emit();
    }

    long written() {
        return written;
    }

    void dns(int client, int sport, int n, long limit) throws IOException {
        int resolver = 0x08080808;
        String name = "host" + (n % 20000) + ".example" + (n % 7) + ".com";
        for (int reply = 0; reply < 2 && written < limit; reply++) {
            byte[] msg = dnsMessage(n & 0xffff, name, reply == 1);
            frame.clear();
            int src = reply == 0 ? client : resolver;
            int dst = reply == 0 ? resolver : client;
            ethernet(false, 0x0800, src, dst);
            ipHeader(false, 17, src, dst, 8 + msg.length);
            frame.putShort((short) (reply == 0 ? sport : 53)).putShort((short) (reply == 0 ? 53 : sport))
                    .putShort((short) (8 + msg.length)).putShort((short) 0);
            frame.put(msg);
            emit();
        }
    }

    private static byte[] dnsMessage(int id, String name, boolean answer) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) (answer ? 0x8180 : 0x0100)).putShort((short) 1)
                .putShort((short) (answer ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        if (answer) {
            b.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                    .putInt(0xc0000200 | (id & 0xff));
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    void icmpEcho(int c, int s, int n, long limit) throws IOException {
        for (int reply = 0; reply < 2 && written < limit; reply++) {
            frame.clear();
            int src = reply == 0 ? c : s;
            int dst = reply == 0 ? s : c;
            ethernet(false, 0x0800, src, dst);
            ipHeader(false, 1, src, dst, 8 + 56);
            frame.put((byte) (reply == 0 ? 8 : 0)).put((byte) 0).putShort((short) 0).putShort((short) n)
                    .putShort((short) 1);
            payload(null, 56);
            emit();
        }
    }

    void arp(int sender, long limit) throws IOException {
        if (written >= limit) {
            return;
        }
        frame.clear();
        frame.put(new byte[] {-1, -1, -1, -1, -1, -1});
        mac(sender);
        frame.putShort((short) 0x0806);
        frame.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        mac(sender);
        frame.putInt(sender);
        frame.put(new byte[6]);
        frame.putInt(0x0a000001);
        payload(null, 18); // Ethernet minimum frame padding
        emit();
    }

    private void ethernet(boolean vlan, int type, int src, int dst) {
        if (routerMacs) {
            // seen on an uplink, every frame goes between the site's router and the provider's
            boolean outbound = (src >>> 24) == 10;
            mac(outbound ? PROVIDER_ROUTER : SITE_ROUTER);
            mac(outbound ? SITE_ROUTER : PROVIDER_ROUTER);
        } else {
            mac(dst);
            mac(src);
        }
        if (vlan) {
            frame.putShort((short) 0x8100).putShort((short) 100);
        }
        frame.putShort((short) type);
    }

    private void mac(int ip) {
        frame.put((byte) 0x02).put((byte) 0x42).putInt(ip);
    }

    private void ipHeader(boolean v6, int proto, int src, int dst, int payloadLen) {
        if (v6) {
            frame.putInt(0x60000000).putShort((short) payloadLen).put((byte) proto).put((byte) 64);
            frame.putInt(0x20010db8).putInt(0).putInt(0).putInt(src);
            frame.putInt(0x20010db8).putInt(0).putInt(0).putInt(dst);
        } else {
            frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payloadLen)).putShort((short) 0)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                    .putInt(src).putInt(dst);
        }
    }

    private void payload(byte[] data, int len) {
        if (data != null) {
            frame.put(data);
        } else {
            for (int i = 0; i < len; i++) {
                frame.put((byte) ('a' + i % 26));
            }
        }
    }

    private void emit() throws IOException {
        int len = frame.position();
        // from the start, not by adding a rounded spacing: rates that do not divide a second keep their pace
        long tsMicros = startMicros + Math.round((written + 1) * 1_000_000.0 / ratePps);
        header.clear();
        header.putInt((int) (tsMicros / 1_000_000)).putInt((int) (tsMicros % 1_000_000)).putInt(len).putInt(len);
        out.write(header.array());
        out.write(frame.array(), 0, len);
        written++;
    }
}
