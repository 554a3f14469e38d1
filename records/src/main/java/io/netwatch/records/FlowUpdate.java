package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One flow of a probe's flow table as it stands: the value of {@code netwatch.flow-updates.v1}, keyed by the flow
 * key. A {@code start} record goes out with the flow's first packet, then at most one {@code active} record per
 * update interval while packets arrive, and an {@code end} record when the flow ends. Counters are totals since the
 * flow began, so a record read twice or an update lost changes nothing but freshness: a reader keeps the record
 * with the highest {@code update_seq} per ({@code probe_id}, {@code run_id}, {@code flow_key}, {@code ts}).
 * Beside them each record carries what the flow added since its previous record (IPFIX's delta counters: packets
 * and bytes per direction, and the history letters first seen), so a reader that takes every record once (a
 * stream task under exactly-once) needs no copy of the flow's previous totals to know what an update adds. Field
 * names and meanings are those of {@link FlowRecord}; field by field in docs/topics.md.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = FlowUpdateDeserializer.class)
public record FlowUpdate(
        String probeId,
        String runId,
        String flowKey,
        int updateSeq,
        String state,
        String endReason,
        long ts,
        long lastSeen,
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
        long origPktsDelta,
        long origBytesDelta,
        long respPktsDelta,
        long respBytesDelta,
        Integer origTcpFlags,
        Integer respTcpFlags,
        Integer firstTcpFlags,
        String connState,
        String history,
        String historyAdded,
        Integer icmpType,
        Integer icmpCode,
        List<String> dnsQueries,
        List<String> httpHosts,
        List<String> tlsSni) implements Timestamped {

    public static final String START = "start";
    public static final String ACTIVE = "active";
    public static final String END = "end";

    /**
     * The flow as a record of netwatch.flows.v1.
     *
     * @param updatesBefore active-timeout records published for this flow before this one
     */
    public FlowRecord toRecord(String recordType, String recordEndReason, int updatesBefore) {
        return new FlowRecord(FlowState.flowId(probeId, flowKey, ts), probeId, ts, lastSeen, lastSeen - ts,
                recordType, recordEndReason, updatesBefore, ipProto, transport, vlan, srcIp, srcPort, dstIp, dstPort,
                communityId, appProtocol, origPkts, origBytes, origPayloadBytes, respPkts, respBytes,
                respPayloadBytes, origTcpFlags, respTcpFlags, connState,
                ipProto == 6 ? TcpConnState.tcpState(connState) : null, history, icmpType, icmpCode, dnsQueries,
                httpHosts, tlsSni);
    }

    /** A compact form for state stores (the flow-service's update store): not a wire format. */
    public byte[] toBytes() {
        StateBytes.Writer o = new StateBytes.Writer();
        o.writeByte(2); // format version: 2 added the deltas
        o.writeOptionalUTF(probeId);
        o.writeOptionalUTF(runId);
        o.writeOptionalUTF(flowKey);
        o.writeInt(updateSeq);
        o.writeOptionalUTF(state);
        o.writeOptionalUTF(endReason);
        o.writeLong(ts);
        o.writeLong(lastSeen);
        o.writeInt(ipProto);
        o.writeOptionalUTF(transport);
        o.writeInt(vlan);
        o.writeOptionalUTF(srcIp);
        o.writeOptionalInt(srcPort);
        o.writeOptionalUTF(dstIp);
        o.writeOptionalInt(dstPort);
        o.writeOptionalUTF(communityId);
        o.writeOptionalUTF(appProtocol);
        o.writeLong(origPkts);
        o.writeLong(origBytes);
        o.writeLong(origPayloadBytes);
        o.writeLong(respPkts);
        o.writeLong(respBytes);
        o.writeLong(respPayloadBytes);
        o.writeLong(origPktsDelta);
        o.writeLong(origBytesDelta);
        o.writeLong(respPktsDelta);
        o.writeLong(respBytesDelta);
        o.writeOptionalInt(origTcpFlags);
        o.writeOptionalInt(respTcpFlags);
        o.writeOptionalInt(firstTcpFlags);
        o.writeOptionalUTF(connState);
        o.writeOptionalUTF(history);
        o.writeOptionalUTF(historyAdded);
        o.writeOptionalInt(icmpType);
        o.writeOptionalInt(icmpCode);
        names(o, dnsQueries);
        names(o, httpHosts);
        names(o, tlsSni);
        return o.toByteArray();
    }

    /** Reads either format: a store written before the deltas (format 1) reads them as 0, as nothing added. */
    public static FlowUpdate fromBytes(byte[] b) {
        StateBytes.Reader i = new StateBytes.Reader(b);
        int version = i.readByte();
        if (version != 1 && version != 2) {
            throw new IllegalStateException("flow update of unknown format version " + version);
        }
        boolean deltas = version >= 2;
        return new FlowUpdate(i.readOptionalUTF(), i.readOptionalUTF(), i.readOptionalUTF(), i.readInt(),
                i.readOptionalUTF(), i.readOptionalUTF(), i.readLong(), i.readLong(), i.readInt(),
                i.readOptionalUTF(), i.readInt(), i.readOptionalUTF(), i.readOptionalInt(), i.readOptionalUTF(),
                i.readOptionalInt(), i.readOptionalUTF(), i.readOptionalUTF(), i.readLong(), i.readLong(),
                i.readLong(), i.readLong(), i.readLong(), i.readLong(), deltas ? i.readLong() : 0,
                deltas ? i.readLong() : 0, deltas ? i.readLong() : 0, deltas ? i.readLong() : 0,
                i.readOptionalInt(), i.readOptionalInt(), i.readOptionalInt(), i.readOptionalUTF(),
                i.readOptionalUTF(), deltas ? i.readOptionalUTF() : null, i.readOptionalInt(), i.readOptionalInt(),
                names(i), names(i), names(i));
    }

    /** Absent lists are empty ones. */
    private static void names(StateBytes.Writer o, List<String> l) {
        o.writeNames(l == null ? List.of() : l);
    }

    private static List<String> names(StateBytes.Reader i) {
        List<String> l = i.readNames();
        return l.isEmpty() ? null : List.copyOf(l);
    }

    /** Packets of both directions so far. */
    public long packets() {
        return origPkts + respPkts;
    }

    /** An update describes the flow up to its last packet. */
    @Override
    public long eventTimeUs() {
        return lastSeen;
    }
}
