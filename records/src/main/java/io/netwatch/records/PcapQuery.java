package io.netwatch.records;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which packets a PCAP export takes: the parameters of the probe's {@code GET /api/probe/pcap}, which the gateway
 * checks and forwards. Ends match in either direction; null fields match anything.
 *
 * @param from inclusive
 * @param to   exclusive
 */
public record PcapQuery(String runId, Instant from, Instant to, String ip, Integer port, String peer,
                        Integer peerPort, Integer proto) {

    /** Parses query parameters, failing with an {@link IllegalArgumentException} that names the bad one. */
    public static PcapQuery parse(String runId, String from, String to, String ip, Integer port, String peer,
                                  Integer peerPort, Integer proto) {
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
        return new PcapQuery(runId == null || runId.isBlank() ? null : runId.trim(), f, t, address("ip", ip),
                port("port", port), address("peer", peer), port("peer_port", peerPort), proto);
    }

    /** The parameters as a query string (without a leading {@code ?}), leaving out what is not set. */
    public String queryString() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("run_id", runId);
        p.put("from", from);
        p.put("to", to);
        p.put("ip", ip);
        p.put("port", port);
        p.put("peer", peer);
        p.put("peer_port", peerPort);
        p.put("proto", proto);
        return p.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
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
