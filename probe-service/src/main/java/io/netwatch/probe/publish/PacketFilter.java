package io.netwatch.probe.publish;

import io.netwatch.records.FlowState;
import io.netwatch.records.PacketRecord;

/**
 * Which frames a probe with flow updates publishes as packet records (docs/proposals/flow-updates.md, step 4):
 * {@code all}, or {@code rules}: only what the per-packet rules and the metrics cannot take from flow updates.
 */
public enum PacketFilter {
    ALL,
    /**
     * Frames with DNS, HTTP, a payload head (cleartext logins), ARP, an odd TCP flag combination or a decode
     * error, and frames that make no flow (ARP, non-IP, later fragments), which the metrics count from packet
     * records. Everything else reaches readers through its flow's updates.
     */
    RULES;

    public static PacketFilter of(String s) {
        return switch (s) {
            case "all" -> ALL;
            case "rules" -> RULES;
            default -> throw new IllegalArgumentException("packet-filter must be all or rules, not " + s);
        };
    }

    public boolean keeps(String key, PacketRecord p) {
        if (this == ALL || p.hasMarker() || p.decodeError() != null || !FlowState.carriesFlow(key, p)) {
            return true;
        }
        return p.dns() != null || p.http() != null || p.payloadHead() != null || p.arp() != null
                || (p.tcpFlags() != null && PacketRecord.oddTcpFlags(p.tcpFlags()) != null);
    }
}
