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
     * What the detection-service's per-packet rules read: DNS queries, HTTP requests, frames with a payload head
     * (cleartext logins), ARP, TCP segments with an odd flag combination; and frames with a decode error, end-of-run
     * markers and frames that make no flow (ARP, non-IP, later fragments), which the metrics count from packet
     * records. Everything else, answers included, reaches readers through its flow's updates. The detection-service's
     * tests run every rule on what this keeps (DetectionRulesFromFlowUpdatesTest, DetectionSourcesTest).
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
        return (p.dns() != null && !p.dns().response()) || (p.http() != null && p.http().method() != null)
                || p.payloadHead() != null || p.arp() != null
                || (p.tcpFlags() != null && PacketRecord.oddTcpFlags(p.tcpFlags()) != null);
    }
}
