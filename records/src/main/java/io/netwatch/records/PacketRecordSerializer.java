package io.netwatch.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Writes a {@link PacketRecord} field by field with pre-encoded names: the probe writes hundreds of thousands a
 * second, and this takes about half the time of the generic record serializer. It writes exactly what the generic
 * one would (same names, same order, nulls left out), which PacketRecordSerializerTest checks.
 */
final class PacketRecordSerializer extends StdSerializer<PacketRecord> {
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString PROBE_ID = new SerializedString("probe_id");
    private static final SerializableString INTERFACE = new SerializedString("interface");
    private static final SerializableString LINK_TYPE = new SerializedString("link_type");
    private static final SerializableString WIRE_LEN = new SerializedString("wire_len");
    private static final SerializableString CAP_LEN = new SerializedString("cap_len");
    private static final SerializableString SRC_MAC = new SerializedString("src_mac");
    private static final SerializableString DST_MAC = new SerializedString("dst_mac");
    private static final SerializableString ETH_TYPE = new SerializedString("eth_type");
    private static final SerializableString VLAN = new SerializedString("vlan");
    private static final SerializableString INNER_VLAN = new SerializedString("inner_vlan");
    private static final SerializableString IP_VERSION = new SerializedString("ip_version");
    private static final SerializableString SRC_IP = new SerializedString("src_ip");
    private static final SerializableString DST_IP = new SerializedString("dst_ip");
    private static final SerializableString TTL = new SerializedString("ttl");
    private static final SerializableString IP_PROTO = new SerializedString("ip_proto");
    private static final SerializableString TRANSPORT = new SerializedString("transport");
    private static final SerializableString FRAGMENT = new SerializedString("fragment");
    private static final SerializableString SRC_PORT = new SerializedString("src_port");
    private static final SerializableString DST_PORT = new SerializedString("dst_port");
    private static final SerializableString TCP_FLAGS = new SerializedString("tcp_flags");
    private static final SerializableString TCP_SEQ = new SerializedString("tcp_seq");
    private static final SerializableString TCP_ACK = new SerializedString("tcp_ack");
    private static final SerializableString TCP_WINDOW = new SerializedString("tcp_window");
    private static final SerializableString PAYLOAD_LEN = new SerializedString("payload_len");
    private static final SerializableString ICMP_TYPE = new SerializedString("icmp_type");
    private static final SerializableString ICMP_CODE = new SerializedString("icmp_code");
    private static final SerializableString ICMP_ID = new SerializedString("icmp_id");
    private static final SerializableString ICMP_QUOTED = new SerializedString("icmp_quoted");
    private static final SerializableString ARP = new SerializedString("arp");
    private static final SerializableString DNS = new SerializedString("dns");
    private static final SerializableString HTTP = new SerializedString("http");
    private static final SerializableString TLS = new SerializedString("tls");
    private static final SerializableString PAYLOAD_HEAD = new SerializedString("payload_head");
    private static final SerializableString COMMUNITY_ID = new SerializedString("community_id");
    private static final SerializableString DECODE_ERROR = new SerializedString("decode_error");
    private static final SerializableString MARKER = new SerializedString("marker");

    PacketRecordSerializer() {
        super(PacketRecord.class);
    }

    @Override
    public void serialize(PacketRecord p, JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartObject();
        ascii(g, ID, p.id());
        g.writeFieldName(TS);
        g.writeNumber(p.ts());
        constant(g, PROBE_ID, p.probeId(), 0);
        constant(g, INTERFACE, p.iface(), 1);
        ascii(g, LINK_TYPE, p.linkType());
        g.writeFieldName(WIRE_LEN);
        g.writeNumber(p.wireLen());
        g.writeFieldName(CAP_LEN);
        g.writeNumber(p.capLen());
        ascii(g, SRC_MAC, p.srcMac());
        ascii(g, DST_MAC, p.dstMac());
        number(g, ETH_TYPE, p.ethType());
        number(g, VLAN, p.vlan());
        number(g, INNER_VLAN, p.innerVlan());
        number(g, IP_VERSION, p.ipVersion());
        ascii(g, SRC_IP, p.srcIp());
        ascii(g, DST_IP, p.dstIp());
        number(g, TTL, p.ttl());
        number(g, IP_PROTO, p.ipProto());
        ascii(g, TRANSPORT, p.transport());
        if (p.fragment() != null) {
            g.writeFieldName(FRAGMENT);
            g.writeBoolean(p.fragment());
        }
        number(g, SRC_PORT, p.srcPort());
        number(g, DST_PORT, p.dstPort());
        number(g, TCP_FLAGS, p.tcpFlags());
        if (p.tcpSeq() != null) {
            g.writeFieldName(TCP_SEQ);
            g.writeNumber(p.tcpSeq());
        }
        if (p.tcpAck() != null) {
            g.writeFieldName(TCP_ACK);
            g.writeNumber(p.tcpAck());
        }
        number(g, TCP_WINDOW, p.tcpWindow());
        number(g, PAYLOAD_LEN, p.payloadLen());
        number(g, ICMP_TYPE, p.icmpType());
        number(g, ICMP_CODE, p.icmpCode());
        number(g, ICMP_ID, p.icmpId());
        object(g, provider, ICMP_QUOTED, p.icmpQuoted());
        object(g, provider, ARP, p.arp());
        object(g, provider, DNS, p.dns());
        object(g, provider, HTTP, p.http());
        object(g, provider, TLS, p.tls());
        string(g, PAYLOAD_HEAD, p.payloadHead());
        ascii(g, COMMUNITY_ID, p.communityId());
        string(g, DECODE_ERROR, p.decodeError());
        ascii(g, MARKER, p.marker());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    /**
     * For values netwatch itself formats (addresses, ids, hashes): printable ASCII without quotes or backslashes,
     * so they need no escaping and are copied as bytes.
     */
    private static void ascii(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            if (g instanceof UTF8JsonGenerator) {
                byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
                g.writeRawUTF8String(b, 0, b.length);
            } else {
                g.writeString(value); // character output (e.g. a REST writer): no raw bytes there
            }
        }
    }

    /** The last encoding of each per-run constant (probe id, interface), reused while the value stays the same. */
    private final AtomicReferenceArray<SerializedString> constants = new AtomicReferenceArray<>(2);

    private void constant(JsonGenerator g, SerializableString name, String value, int slot) throws IOException {
        if (value == null) {
            return;
        }
        SerializedString s = constants.get(slot);
        if (s == null || !s.getValue().equals(value)) {
            s = new SerializedString(value);
            constants.set(slot, s);
        }
        g.writeFieldName(name);
        g.writeString(s);
    }

    private static void number(JsonGenerator g, SerializableString name, Integer value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.intValue());
        }
    }

    private static void object(JsonGenerator g, SerializerProvider provider, SerializableString name, Object value)
            throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            provider.defaultSerializeValue(value, g);
        }
    }
}
