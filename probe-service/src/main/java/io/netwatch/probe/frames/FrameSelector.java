package io.netwatch.probe.frames;

import io.netwatch.records.Instants;
import io.netwatch.records.PcapQuery;

/**
 * Which held frames an export takes: a time range and, optionally, the two ends of a conversation. Ends match in
 * either direction, so {@code ip=A, port=1, peer=B, peer_port=2, proto=6} selects both halves of one TCP flow, as
 * Wireshark's "Follow" does. Null fields match anything.
 *
 * @param runId     a capture or replay run of the probe (its status' run_id), or null for any
 * @param fromNanos inclusive, or {@link Long#MIN_VALUE}
 * @param toNanos   exclusive, or {@link Long#MAX_VALUE}
 */
public record FrameSelector(String runId, long fromNanos, long toNanos, String ip, Integer port, String peer,
                            Integer peerPort, Integer proto) {

    /** Parses query parameters, failing with an {@link IllegalArgumentException} that names the bad one. */
    public static FrameSelector parse(String runId, String from, String to, String ip, Integer port, String peer,
                                      Integer peerPort, Integer proto) {
        PcapQuery q = PcapQuery.parse(runId, from, to, ip, port, peer, peerPort, proto);
        return new FrameSelector(q.runId(), q.from() == null ? Long.MIN_VALUE : Instants.nanos(q.from()),
                q.to() == null ? Long.MAX_VALUE : Instants.nanos(q.to()), q.ip(), q.port(), q.peer(), q.peerPort(),
                q.proto());
    }

    public boolean matches(HeldFrame f) {
        if (f.tsNanos() < fromNanos || f.tsNanos() >= toNanos || runId != null && !runId.equals(f.runId())) {
            return false;
        }
        if (proto != null && f.ipProto() != proto) {
            return false;
        }
        if (ip == null && port == null) {
            return true;
        }
        return end(f.srcIp(), f.srcPort(), ip, port) && end(f.dstIp(), f.dstPort(), peer, peerPort)
                || end(f.dstIp(), f.dstPort(), ip, port) && end(f.srcIp(), f.srcPort(), peer, peerPort);
    }

    private static boolean end(String frameIp, int framePort, String ip, Integer port) {
        return (ip == null || ip.equals(frameIp)) && (port == null || port == framePort);
    }
}
