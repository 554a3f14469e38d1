package io.netwatch.probe.frames;

import io.netwatch.records.IpAddresses;
import io.netwatch.records.Instants;

import java.time.Instant;

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
    public static FrameSelector parse(String runId, String from, String to, String ip, Integer port, String peer, Integer peerPort,
                                      Integer proto) {
        Instant f = Instants.parse("from", from);
        Instant t = Instants.parse("to", to);
        if (f != null && t != null && !f.isBefore(t)) {
            throw new IllegalArgumentException("from (" + f + ") must be before to (" + t + "), which is exclusive");
        }
        if (peer != null && !peer.isBlank() && (ip == null || ip.isBlank())) {
            throw new IllegalArgumentException("peer needs ip: a conversation has two ends");
        }
        if (proto != null && (proto < 0 || proto > 255)) {
            throw new IllegalArgumentException("proto is an IP protocol number from 0 to 255, not " + proto);
        }
        return new FrameSelector(runId == null || runId.isBlank() ? null : runId.trim(), f == null ? Long.MIN_VALUE : Instants.nanos(f),
                t == null ? Long.MAX_VALUE : Instants.nanos(t), address("ip", ip), port("port", port),
                address("peer", peer), port("peer_port", peerPort), proto);
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

    /** The text form packet records use, so "::ffff:0:1" and "0:0:0:0:0:ffff:0:1" select the same frames. */
    private static String address(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            byte[] b = IpAddresses.parse(value.trim());
            return IpAddresses.format(b, 0, b.length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an IPv4 or IPv6 address, not '" + value + "'");
        }
    }

    private static Integer port(String name, Integer value) {
        if (value != null && (value < 0 || value > 65535)) {
            throw new IllegalArgumentException(name + " must be from 0 to 65535, not " + value);
        }
        return value;
    }
}
