package io.netwatch.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.PacketRecord;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * What a WebSocket client asked to see, sent as a JSON text message such as
 * {@code {"ip":"10.0.0.5","port":443,"protocol":"tcp","probe":"node-1","min_severity":"high","rule":"port_scan"}}.
 * Every field is optional; an empty object clears the filter.
 */
public record ClientFilter(String ip, Integer port, String protocol, String probe, String minSeverity, String rule) {
    public static final ClientFilter ALL = new ClientFilter(null, null, null, null, null, null);
    private static final Set<String> FIELDS = Set.of("ip", "port", "protocol", "probe", "min_severity", "rule");

    /** Parses a client's filter message, or says what is wrong with it. */
    public static ClientFilter parse(String message) {
        JsonNode n;
        try {
            n = JsonSerde.MAPPER.readTree(message);
        } catch (IOException e) {
            throw new IllegalArgumentException("a filter is a JSON object, e.g. {\"ip\":\"10.0.0.5\"}");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a filter is a JSON object, e.g. {\"ip\":\"10.0.0.5\"}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown filter field '" + f + "'; known: " + FIELDS);
            }
        }
        Integer port = null;
        if (n.hasNonNull("port")) {
            if (!n.get("port").canConvertToInt() || n.get("port").asInt() < 0 || n.get("port").asInt() > 65535) {
                throw new IllegalArgumentException("port must be a number from 0 to 65535");
            }
            port = n.get("port").asInt();
        }
        String severity = text(n, "min_severity");
        if (severity != null && Alert.rank(severity) < 0) {
            throw new IllegalArgumentException("min_severity must be one of " + Alert.SEVERITIES);
        }
        String protocol = text(n, "protocol");
        return new ClientFilter(text(n, "ip"), port, protocol == null ? null : protocol.toLowerCase(Locale.ROOT),
                text(n, "probe"), severity, text(n, "rule"));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) && !n.get(field).asText().isBlank() ? n.get(field).asText().trim() : null;
    }

    public boolean matches(PacketRecord p) {
        return (ip == null || ip.equals(p.srcIp()) || ip.equals(p.dstIp()))
                && (port == null || port.equals(p.srcPort()) || port.equals(p.dstPort()))
                && (protocol == null || protocol.equals(p.transport()) || protocolOf(p))
                && (probe == null || probe.equals(p.probeId()));
    }

    private boolean protocolOf(PacketRecord p) {
        return (p.dns() != null && protocol.equals("dns")) || (p.http() != null && protocol.equals("http"))
                || (p.tls() != null && protocol.equals("tls")) || (p.arp() != null && protocol.equals("arp"));
    }

    public boolean matches(FlowRecord f) {
        return (ip == null || ip.equals(f.srcIp()) || ip.equals(f.dstIp()))
                && (port == null || port.equals(f.srcPort()) || port.equals(f.dstPort()))
                && (protocol == null || protocol.equals(f.transport()) || protocol.equals(f.appProtocol()))
                && (probe == null || probe.equals(f.probeId()));
    }

    public boolean matches(Alert a) {
        return (ip == null || ip.equals(a.srcIp()) || ip.equals(a.dstIp()))
                && (probe == null || probe.equals(a.probeId()))
                && (rule == null || rule.equals(a.rule()))
                && (minSeverity == null || Alert.rank(a.severity()) >= Alert.rank(minSeverity));
    }

    public boolean matchesProbe(String probeId) {
        return probe == null || probe.equals(probeId);
    }
}
