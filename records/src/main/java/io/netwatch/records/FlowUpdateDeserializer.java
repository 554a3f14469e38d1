package io.netwatch.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.List;

import static io.netwatch.records.JsonFields.integer;
import static io.netwatch.records.JsonFields.primitiveInt;
import static io.netwatch.records.JsonFields.primitiveLong;
import static io.netwatch.records.JsonFields.text;
import static io.netwatch.records.JsonFields.texts;

/**
 * Reads a {@link FlowUpdate} field by field into locals and calls its constructor once, as
 * {@link PacketRecordDeserializer} does for packets: Jackson's generic path for a record of 33 fields was a sixth
 * of the flow-service's stream thread when it reads updates. It reads what the generic deserializer reads
 * (unknown fields skipped, absent ones null or zero; one exception, a record without the delta fields, from a
 * probe before them, below), which FlowUpdateEquivalenceTest checks on every update of
 * the shared captures.
 */
final class FlowUpdateDeserializer extends StdDeserializer<FlowUpdate> {
    FlowUpdateDeserializer() {
        super(FlowUpdate.class);
    }

    @Override
    public FlowUpdate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (FlowUpdate) ctxt.handleUnexpectedToken(FlowUpdate.class, p);
        }
        String probeId = null;
        String runId = null;
        String flowKey = null;
        int updateSeq = 0;
        String state = null;
        String endReason = null;
        long ts = 0;
        long lastSeen = 0;
        int ipProto = 0;
        String transport = null;
        int vlan = 0;
        String srcIp = null;
        Integer srcPort = null;
        String dstIp = null;
        Integer dstPort = null;
        String communityId = null;
        String appProtocol = null;
        long origPkts = 0;
        long origBytes = 0;
        long origPayloadBytes = 0;
        long respPkts = 0;
        long respBytes = 0;
        long respPayloadBytes = 0;
        long origPktsDelta = 0;
        long origBytesDelta = 0;
        long respPktsDelta = 0;
        long respBytesDelta = 0;
        boolean deltas = false;
        Integer origTcpFlags = null;
        Integer respTcpFlags = null;
        Integer firstTcpFlags = null;
        String connState = null;
        String history = null;
        String historyAdded = null;
        Integer icmpType = null;
        Integer icmpCode = null;
        List<String> dnsQueries = null;
        List<String> httpHosts = null;
        List<String> tlsSni = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "probe_id" -> probeId = text(p, t, ctxt);
                case "run_id" -> runId = text(p, t, ctxt);
                case "flow_key" -> flowKey = text(p, t, ctxt);
                case "update_seq" -> updateSeq = primitiveInt(p, t, ctxt);
                case "state" -> state = text(p, t, ctxt);
                case "end_reason" -> endReason = text(p, t, ctxt);
                case "ts" -> ts = primitiveLong(p, t, ctxt);
                case "last_seen" -> lastSeen = primitiveLong(p, t, ctxt);
                case "ip_proto" -> ipProto = primitiveInt(p, t, ctxt);
                case "transport" -> transport = text(p, t, ctxt);
                case "vlan" -> vlan = primitiveInt(p, t, ctxt);
                case "src_ip" -> srcIp = text(p, t, ctxt);
                case "src_port" -> srcPort = integer(p, t, ctxt);
                case "dst_ip" -> dstIp = text(p, t, ctxt);
                case "dst_port" -> dstPort = integer(p, t, ctxt);
                case "community_id" -> communityId = text(p, t, ctxt);
                case "app_protocol" -> appProtocol = text(p, t, ctxt);
                case "orig_pkts" -> origPkts = primitiveLong(p, t, ctxt);
                case "orig_bytes" -> origBytes = primitiveLong(p, t, ctxt);
                case "orig_payload_bytes" -> origPayloadBytes = primitiveLong(p, t, ctxt);
                case "resp_pkts" -> respPkts = primitiveLong(p, t, ctxt);
                case "resp_bytes" -> respBytes = primitiveLong(p, t, ctxt);
                case "resp_payload_bytes" -> respPayloadBytes = primitiveLong(p, t, ctxt);
                case "orig_pkts_delta" -> {
                    origPktsDelta = primitiveLong(p, t, ctxt);
                    deltas = true;
                }
                case "orig_bytes_delta" -> origBytesDelta = primitiveLong(p, t, ctxt);
                case "resp_pkts_delta" -> respPktsDelta = primitiveLong(p, t, ctxt);
                case "resp_bytes_delta" -> respBytesDelta = primitiveLong(p, t, ctxt);
                case "orig_tcp_flags" -> origTcpFlags = integer(p, t, ctxt);
                case "resp_tcp_flags" -> respTcpFlags = integer(p, t, ctxt);
                case "first_tcp_flags" -> firstTcpFlags = integer(p, t, ctxt);
                case "conn_state" -> connState = text(p, t, ctxt);
                case "history" -> history = text(p, t, ctxt);
                case "history_added" -> historyAdded = text(p, t, ctxt);
                case "icmp_type" -> icmpType = integer(p, t, ctxt);
                case "icmp_code" -> icmpCode = integer(p, t, ctxt);
                case "dns_queries" -> dnsQueries = texts(p, t, ctxt);
                case "http_hosts" -> httpHosts = texts(p, t, ctxt);
                case "tls_sni" -> tlsSni = texts(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        if (!deltas && FlowUpdate.START.equals(state)) {
            // a probe from before the deltas: a start adds all it holds; later records read as adding nothing
            origPktsDelta = origPkts;
            origBytesDelta = origBytes;
            respPktsDelta = respPkts;
            respBytesDelta = respBytes;
            historyAdded = history;
        }
        return new FlowUpdate(probeId, runId, flowKey, updateSeq, state, endReason, ts, lastSeen, ipProto, transport,
                vlan, srcIp, srcPort, dstIp, dstPort, communityId, appProtocol, origPkts, origBytes, origPayloadBytes,
                respPkts, respBytes, respPayloadBytes, origPktsDelta, origBytesDelta, respPktsDelta, respBytesDelta,
                origTcpFlags, respTcpFlags, firstTcpFlags, connState, history, historyAdded, icmpType, icmpCode,
                dnsQueries, httpHosts, tlsSni);
    }
}
