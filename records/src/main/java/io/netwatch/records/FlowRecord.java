package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A bidirectional flow as one probe saw it: the value of {@code netwatch.flows.v1}, keyed by the flow key. Counters
 * are totals since the flow began (like Zeek's conn.log), so a reader keeps the latest record per {@code flow_id}:
 * long flows publish {@code update} records at each active timeout and one {@code final} record at the end.
 * Field by field in docs/topics.md.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowRecord(
        String flowId,
        String probeId,
        long ts,
        long lastSeen,
        long durationUs,
        String recordType,
        String endReason,
        int updateSeq,
        int ipProto,
        String transport,
        int vlan,
        String srcIp,
        Integer srcPort,
        String dstIp,
        Integer dstPort,
        String communityId,
        String appProtocol,
        long origPkts,
        long origBytes,
        long origPayloadBytes,
        long respPkts,
        long respBytes,
        long respPayloadBytes,
        Integer origTcpFlags,
        Integer respTcpFlags,
        String connState,
        String tcpState,
        String history,
        Integer icmpType,
        Integer icmpCode,
        List<String> dnsQueries,
        List<String> httpHosts,
        List<String> tlsSni) implements Timestamped {

    /** A flow record describes the flow up to its last packet. */
    @Override
    public long eventTimeUs() {
        return lastSeen;
    }

    public static final String UPDATE = "update";
    public static final String FINAL = "final";

    /** flowEndReason (IPFIX IE 136) in words. */
    public static final String IDLE_TIMEOUT = "idle_timeout";
    public static final String ACTIVE_TIMEOUT = "active_timeout";
    public static final String END_OF_FLOW = "end_of_flow";
    public static final String FORCED_END = "forced_end";

    public long totalBytes() {
        return origBytes + respBytes;
    }

    public long totalPkts() {
        return origPkts + respPkts;
    }
}
