package io.netwatch.detection;

import io.netwatch.probe.decode.PacketRecordFactory.Keyed;
import io.netwatch.records.FlowKey;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.PacketRecord;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Crafted packet and flow records for the rule tests, with the fields the probe would fill. */
final class Packets {
    static final String PROBE = "probe-t";
    private static long ids;

    private Packets() {
    }

    /** Seconds since the test epoch, in microseconds. */
    static long at(double seconds) {
        return 1_700_000_000_000_000L + (long) (seconds * 1_000_000);
    }

    private static PacketRecord ip(long ts, int wireLen, String src, String dst, int proto, String transport,
                                   Integer sport, Integer dport, Integer flags, Integer icmpType,
                                   PacketRecord.Dns dns, PacketRecord.Http http, String payloadHead) {
        return ip(PROBE, ts, wireLen, src, dst, proto, transport, sport, dport, flags, icmpType, dns, http,
                payloadHead);
    }

    private static PacketRecord ip(String probe, long ts, int wireLen, String src, String dst, int proto,
                                   String transport, Integer sport, Integer dport, Integer flags, Integer icmpType,
                                   PacketRecord.Dns dns, PacketRecord.Http http, String payloadHead) {
        return new PacketRecord("t:" + (++ids), ts, probe, "eth0", "ether", wireLen, wireLen, "02:00:00:00:00:01",
                "02:00:00:00:00:02", src.contains(":") ? 0x86dd : 0x0800, null, null, src.contains(":") ? 6 : 4,
                src, dst, 64, proto, transport, null, sport, dport, flags, flags == null ? null : 1000L,
                flags == null ? null : 0L, flags == null ? null : 64240, 0, icmpType, icmpType == null ? null : 0,
                icmpType == null ? null : 7, null, null, dns, http, null, payloadHead, null, null, null);
    }

    private static Keyed keyed(PacketRecord p) {
        String key = p.srcPort() == null ? p.ipProto() + "/" + p.srcIp() + "/" + p.dstIp()
                : FlowKey.of(p.ipProto(), 0, p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort()).wire();
        return new Keyed(key, p);
    }

    /**
     * Traffic of {@code probe} at {@code ts} that moves its event time past every open window, which then reports
     * its final count, and the end of its run, which hands its per-second counts on. Event time is per partition
     * and probe, so the packets come from sources whose per-source observations land in every one of the
     * observations topic's partitions; each source sends enough in that second to be above the volume floor
     * (DetectionSettings#volumeFloor: 1 % of 100,000 packets in 10 s is 100 a second).
     */
    static List<Keyed> windowClosers(String probe, long ts, int partitions) {
        List<Keyed> out = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (int host = 1; covered.size() < partitions; host++) {
            String src = "10.9.9." + host;
            byte[] key = ("high_packet_rate|" + probe + "|" + src).getBytes(StandardCharsets.UTF_8);
            if (covered.add(Utils.toPositive(Utils.murmur2(key)) % partitions)) {
                for (int i = 0; i < 100; i++) {
                    out.add(tcp(probe, ts, src, 50000, "10.9.8.1", 80, PacketRecord.ACK));
                }
            }
        }
        out.add(new Keyed("end/closers-" + ts, PacketRecord.endOfRun("closers-" + ts, probe, "file", ts)));
        return out;
    }

    static Keyed tcp(String probe, long ts, String src, int sport, String dst, int dport, int flags) {
        return keyed(ip(probe, ts, 60, src, dst, 6, "tcp", sport, dport, flags, null, null, null, null));
    }

    static Keyed tcp(long ts, String src, int sport, String dst, int dport, int flags) {
        return keyed(ip(ts, 60, src, dst, 6, "tcp", sport, dport, flags, null, null, null, null));
    }

    static Keyed tcp(long ts, String src, int sport, String dst, int dport, int flags, int wireLen) {
        return keyed(ip(ts, wireLen, src, dst, 6, "tcp", sport, dport, flags, null, null, null, null));
    }

    /** A TCP segment whose payload starts with {@code payload} (as the probe's payload head). */
    static Keyed tcpPayload(long ts, String src, int sport, String dst, int dport, String payload) {
        return keyed(ip(ts, 60 + payload.length(), src, dst, 6, "tcp", sport, dport,
                PacketRecord.ACK | PacketRecord.PSH, null, null, null, base64(payload.getBytes(StandardCharsets.ISO_8859_1))));
    }

    static Keyed udp(long ts, String src, int sport, String dst, int dport) {
        return keyed(ip(ts, 80, src, dst, 17, "udp", sport, dport, null, null, null, null, null));
    }

    static Keyed udpPayload(long ts, String src, int sport, String dst, int dport, byte[] payload) {
        return keyed(ip(ts, 42 + payload.length, src, dst, 17, "udp", sport, dport, null, null, null, null,
                base64(payload)));
    }

    static Keyed echo(long ts, String src, String dst) {
        return keyed(ip(ts, 98, src, dst, 1, "icmp", null, null, null, 8, null, null, null));
    }

    static Keyed dns(long ts, String client, String server, String qname, int qtype) {
        PacketRecord.Dns d = new PacketRecord.Dns(7, false, 0, 0, qname, qtype, qtype == 16 ? "TXT" : "A", 0, null);
        return keyed(ip(ts, 90, client, server, 17, "udp", 40000, 53, null, null, d, null, null));
    }

    static Keyed http(long ts, String src, String dst, int dport, String uri, String userAgent, String auth) {
        PacketRecord.Http h = new PacketRecord.Http("GET", uri, "HTTP/1.1", dst, userAgent, null, auth);
        return keyed(ip(ts, 400, src, dst, 6, "tcp", 50000, dport, PacketRecord.ACK | PacketRecord.PSH, null, null, h,
                null));
    }

    static Keyed arp(long ts, int op, String senderMac, String senderIp, String targetIp) {
        PacketRecord p = new PacketRecord("t:" + (++ids), ts, PROBE, "eth0", "ether", 60, 60, senderMac,
                "ff:ff:ff:ff:ff:ff", 0x0806, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null,
                new PacketRecord.Arp(op, senderMac, senderIp, "00:00:00:00:00:00", targetIp), null, null, null, null,
                null, null, null);
        return new Keyed(FlowKey.arp(0, senderIp, targetIp), p);
    }

    /** A finished TCP flow as the flow-service publishes it. */
    static FlowRecord flow(long ts, String src, String dst, int dport, double seconds, String connState) {
        long dur = (long) (seconds * 1_000_000);
        return new FlowRecord("6/0/" + src + "/" + (40000 + ids) + "/" + dst + "/" + dport + "#" + (++ids), PROBE, ts,
                ts + dur, dur, FlowRecord.FINAL, FlowRecord.END_OF_FLOW, 0, 6, "tcp", 0, src, 40000, dst, dport, null,
                "ssh", 12, 2000, 1200, 10, 2500, 1800, 0x1b, 0x1b, connState, "closed", "ShADadFf", null, null, null,
                null, null);
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static List<Keyed> handshake(long ts, String client, int sport, String server, int dport) {
        return List.of(tcp(ts, client, sport, server, dport, PacketRecord.SYN),
                tcp(ts + 100, server, dport, client, sport, PacketRecord.SYN | PacketRecord.ACK),
                tcp(ts + 200, client, sport, server, dport, PacketRecord.ACK));
    }
}
