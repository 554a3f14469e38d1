package io.netwatch.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

import static io.netwatch.records.JsonFields.bool;
import static io.netwatch.records.JsonFields.integer;
import static io.netwatch.records.JsonFields.longObject;
import static io.netwatch.records.JsonFields.primitiveInt;
import static io.netwatch.records.JsonFields.primitiveLong;
import static io.netwatch.records.JsonFields.text;
import static io.netwatch.records.JsonFields.texts;
import java.util.ArrayList;
import java.util.List;

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
                // a packet has at most one nested part, but DNS and HTTP are a quarter of typical traffic, and
                // Jackson's generic path for them cost as much as the rest of the record
                case "icmp_quoted" -> icmpQuoted = t == JsonToken.START_OBJECT ? quoted(p, ctxt)
                        : nested(p, t, ctxt, PacketRecord.Quoted.class);
                case "arp" -> arp = t == JsonToken.START_OBJECT ? arp(p, ctxt)
                        : nested(p, t, ctxt, PacketRecord.Arp.class);
                case "dns" -> dns = t == JsonToken.START_OBJECT ? dns(p, ctxt)
                        : nested(p, t, ctxt, PacketRecord.Dns.class);
                case "http" -> http = t == JsonToken.START_OBJECT ? http(p, ctxt)
                        : nested(p, t, ctxt, PacketRecord.Http.class);
                case "tls" -> tls = t == JsonToken.START_OBJECT ? tls(p, ctxt)
                        : nested(p, t, ctxt, PacketRecord.Tls.class);
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

    private static PacketRecord.Quoted quoted(JsonParser p, DeserializationContext ctxt) throws IOException {
        int ipProto = 0;
        String srcIp = null;
        Integer srcPort = null;
        String dstIp = null;
        Integer dstPort = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "ip_proto" -> ipProto = primitiveInt(p, t, ctxt);
                case "src_ip" -> srcIp = text(p, t, ctxt);
                case "src_port" -> srcPort = integer(p, t, ctxt);
                case "dst_ip" -> dstIp = text(p, t, ctxt);
                case "dst_port" -> dstPort = integer(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord.Quoted(ipProto, srcIp, srcPort, dstIp, dstPort);
    }

    private static PacketRecord.Arp arp(JsonParser p, DeserializationContext ctxt) throws IOException {
        int operation = 0;
        String senderMac = null;
        String senderIp = null;
        String targetMac = null;
        String targetIp = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "operation" -> operation = primitiveInt(p, t, ctxt);
                case "sender_mac" -> senderMac = text(p, t, ctxt);
                case "sender_ip" -> senderIp = text(p, t, ctxt);
                case "target_mac" -> targetMac = text(p, t, ctxt);
                case "target_ip" -> targetIp = text(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord.Arp(operation, senderMac, senderIp, targetMac, targetIp);
    }

    private static PacketRecord.Dns dns(JsonParser p, DeserializationContext ctxt) throws IOException {
        int id = 0;
        boolean response = false;
        int opcode = 0;
        int rcode = 0;
        String qname = null;
        Integer qtype = null;
        String qtypeName = null;
        int ancount = 0;
        List<String> answers = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = primitiveInt(p, t, ctxt);
                case "response" -> response = Boolean.TRUE.equals(bool(p, t, ctxt));
                case "opcode" -> opcode = primitiveInt(p, t, ctxt);
                case "rcode" -> rcode = primitiveInt(p, t, ctxt);
                case "qname" -> qname = text(p, t, ctxt);
                case "qtype" -> qtype = integer(p, t, ctxt);
                case "qtype_name" -> qtypeName = text(p, t, ctxt);
                case "ancount" -> ancount = primitiveInt(p, t, ctxt);
                case "answers" -> answers = texts(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord.Dns(id, response, opcode, rcode, qname, qtype, qtypeName, ancount, answers);
    }

    private static PacketRecord.Http http(JsonParser p, DeserializationContext ctxt) throws IOException {
        String method = null;
        String uri = null;
        String version = null;
        String host = null;
        String userAgent = null;
        Integer status = null;
        String authScheme = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "method" -> method = text(p, t, ctxt);
                case "uri" -> uri = text(p, t, ctxt);
                case "version" -> version = text(p, t, ctxt);
                case "host" -> host = text(p, t, ctxt);
                case "user_agent" -> userAgent = text(p, t, ctxt);
                case "status" -> status = integer(p, t, ctxt);
                case "auth_scheme" -> authScheme = text(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord.Http(method, uri, version, host, userAgent, status, authScheme);
    }

    private static PacketRecord.Tls tls(JsonParser p, DeserializationContext ctxt) throws IOException {
        String sni = null;
        String version = null;
        String ja3 = null;
        String ja3Hash = null;
        List<String> alpn = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "sni" -> sni = text(p, t, ctxt);
                case "version" -> version = text(p, t, ctxt);
                case "ja3" -> ja3 = text(p, t, ctxt);
                case "ja3_hash" -> ja3Hash = text(p, t, ctxt);
                case "alpn" -> alpn = texts(p, t, ctxt);
                default -> p.skipChildren();
            }
        }
        return new PacketRecord.Tls(sni, version, ja3, ja3Hash, alpn);
    }

    private static <T> T nested(JsonParser p, JsonToken t, DeserializationContext ctxt, Class<T> type)
            throws IOException {
        return t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, type);
    }
}
