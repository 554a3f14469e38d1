package io.netwatch.probe.decode;

import io.netwatch.probe.capture.CaptureFileReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Frames per protocol in a capture, counted the way REFERENCE.tsv counts them: a frame once per protocol. */
final class ProtocolCounts {
    static final String[] COLUMNS = {"packets", "ipv4", "ipv6", "arp", "tcp", "udp", "icmp", "icmpv6", "dns"};
    /** Frames whose only TCP or UDP header is the one quoted inside an ICMP error, which tshark counts too. */
    static final String QUOTED_TCP = "quoted_tcp";
    static final String QUOTED_UDP = "quoted_udp";

    private ProtocolCounts() {
    }

    static Map<String, Long> of(Path file) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            counts.put(c, 0L);
        }
        counts.put(QUOTED_TCP, 0L);
        counts.put(QUOTED_UDP, 0L);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        try (CaptureFileReader reader = CaptureFileReader.open(file)) {
            reader.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                counts.merge("packets", 1L, Long::sum);
                count(counts, "ipv4", f.ipVersion == 4);
                count(counts, "ipv6", f.ipVersion == 6);
                count(counts, "arp", f.hasArp);
                count(counts, "tcp", f.ipProto == 6 && f.hasTransport);
                count(counts, "udp", f.ipProto == 17 && f.hasTransport);
                count(counts, "icmp", f.isIcmp() && f.hasTransport);
                count(counts, "icmpv6", f.isIcmpv6() && f.hasTransport);
                count(counts, "dns", f.dns != null);
                count(counts, QUOTED_TCP, f.quotedProto == 6 && f.ipProto != 6);
                count(counts, QUOTED_UDP, f.quotedProto == 17 && f.ipProto != 17);
            });
        }
        return counts;
    }

    private static void count(Map<String, Long> counts, String column, boolean match) {
        if (match) {
            counts.merge(column, 1L, Long::sum);
        }
    }
}
