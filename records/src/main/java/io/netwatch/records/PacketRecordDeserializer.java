package io.netwatch.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * Reads a {@link PacketRecord} field by field into locals and calls its constructor once. Every packet is read by
 * the flow-service, the detection-service and the gateway, and Jackson's generic path for records (a property
 * buffer filled through a creator) was the largest single cost of both stream services. It reads what the
 * generic deserializer reads (unknown fields skipped, absent ones null or zero), which
 * PacketRecordDeserializerTest checks on real captures.
 */
final class PacketRecordDeserializer extends StdDeserializer<PacketRecord> {
    PacketRecordDeserializer() {
        super(PacketRecord.class);
    }

    @Override
    public PacketRecord deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (PacketRecord) ctxt.handleUnexpectedToken(PacketRecord.class, p);
        }
        String id = null;
        long ts = 0;
        String probeId = null;
        String iface = null;
        String linkType = null;
        int wireLen = 0;
        int capLen = 0;
        String srcMac = null;
        String dstMac = null;
        Integer ethType = null;
        Integer vlan = null;
        Integer innerVlan = null;
        Integer ipVersion = null;
        String srcIp = null;
        String dstIp = null;
        Integer ttl = null;
        Integer ipProto = null;
        String transport = null;
        Boolean fragment = null;
        Integer srcPort = null;
        Integer dstPort = null;
        Integer tcpFlags = null;
        Long tcpSeq = null;
        Long tcpAck = null;
        Integer tcpWindow = null;
        Integer payloadLen = null;
        Integer icmpType = null;
        Integer icmpCode = null;
        Integer icmpId = null;
        PacketRecord.Quoted icmpQuoted = null;
        PacketRecord.Arp arp = null;
        PacketRecord.Dns dns = null;
        PacketRecord.Http http = null;
        PacketRecord.Tls tls = null;
        String payloadHead = null;
        String communityId = null;
        String decodeError = null;
        String marker = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = text(p, t, ctxt);
                case "ts" -> ts = primitiveLong(p, t, ctxt);
                case "probe_id" -> probeId = text(p, t, ctxt);
                case "interface" -> iface = text(p, t, ctxt);
                case "link_type" -> linkType = text(p, t, ctxt);
                case "wire_len" -> wireLen = primitiveInt(p, t, ctxt);
                case "cap_len" -> capLen = primitiveInt(p, t, ctxt);
                case "src_mac" -> srcMac = text(p, t, ctxt);
                case "dst_mac" -> dstMac = text(p, t, ctxt);
                case "eth_type" -> ethType = integer(p, t, ctxt);
                case "vlan" -> vlan = integer(p, t, ctxt);
                case "inner_vlan" -> innerVlan = integer(p, t, ctxt);
                case "ip_version" -> ipVersion = integer(p, t, ctxt);
                case "src_ip" -> srcIp = text(p, t, ctxt);
                case "dst_ip" -> dstIp = text(p, t, ctxt);
                case "ttl" -> ttl = integer(p, t, ctxt);
                case "ip_proto" -> ipProto = integer(p, t, ctxt);
                case "transport" -> transport = text(p, t, ctxt);
                case "fragment" -> fragment = bool(p, t, ctxt);
                case "src_port" -> srcPort = integer(p, t, ctxt);
                case "dst_port" -> dstPort = integer(p, t, ctxt);
                case "tcp_flags" -> tcpFlags = integer(p, t, ctxt);
                case "tcp_seq" -> tcpSeq = longObject(p, t, ctxt);
                case "tcp_ack" -> tcpAck = longObject(p, t, ctxt);
                case "tcp_window" -> tcpWindow = integer(p, t, ctxt);
                case "payload_len" -> payloadLen = integer(p, t, ctxt);
                case "icmp_type" -> icmpType = integer(p, t, ctxt);
                case "icmp_code" -> icmpCode = integer(p, t, ctxt);
                case "icmp_id" -> icmpId = integer(p, t, ctxt);
                // the nested parts are rare (a packet has at most one) and go through the generic path
                case "icmp_quoted" -> icmpQuoted = nested(p, t, ctxt, PacketRecord.Quoted.class);
                case "arp" -> arp = nested(p, t, ctxt, PacketRecord.Arp.class);
                case "dns" -> dns = nested(p, t, ctxt, PacketRecord.Dns.class);
                case "http" -> http = nested(p, t, ctxt, PacketRecord.Http.class);
                case "tls" -> tls = nested(p, t, ctxt, PacketRecord.Tls.class);
                case "payload_head" -> payloadHead = text(p, t, ctxt);
                case "community_id" -> communityId = text(p, t, ctxt);
                case "decode_error" -> decodeError = text(p, t, ctxt);
                case "marker" -> marker = text(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord(id, ts, probeId, iface, linkType, wireLen, capLen, srcMac, dstMac, ethType, vlan,
                innerVlan, ipVersion, srcIp, dstIp, ttl, ipProto, transport, fragment, srcPort, dstPort, tcpFlags,
                tcpSeq, tcpAck, tcpWindow, payloadLen, icmpType, icmpCode, icmpId, icmpQuoted, arp, dns, http, tls,
                payloadHead, communityId, decodeError, marker);
    }

    // Scalars of the expected JSON type are read directly; anything else (null, a quoted number, a wrong type)
    // takes Jackson's own path, so coercions and errors are the generic deserializer's.

    private static String text(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, String.class);
    }

    private static Integer integer(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT ? Integer.valueOf(p.getIntValue()) : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, Integer.class);
    }

    private static Long longObject(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT ? Long.valueOf(p.getLongValue()) : t == JsonToken.VALUE_NULL ? null
                : ctxt.readValue(p, Long.class);
    }

    private static long primitiveLong(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        Long v = t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Long.class);
        return v == null ? 0 : v;
    }

    private static int primitiveInt(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        Integer v = t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Integer.class);
        return v == null ? 0 : v;
    }

    private static Boolean bool(JsonParser p, JsonToken t, DeserializationContext ctxt) throws IOException {
        return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE
                : t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Boolean.class);
    }

    private static <T> T nested(JsonParser p, JsonToken t, DeserializationContext ctxt, Class<T> type)
            throws IOException {
        return t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, type);
    }
}
