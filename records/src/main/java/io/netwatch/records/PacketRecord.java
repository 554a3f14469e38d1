package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * One captured frame, decoded: the value of {@code netwatch.packets.v1}. Field by field in docs/topics.md.
 * Fields a frame does not have are absent from the JSON, never zero.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSerialize(using = PacketRecordSerializer.class)
@JsonDeserialize(using = PacketRecordDeserializer.class)
public record PacketRecord(
        String id,
        long ts,
        String probeId,
        @JsonProperty("interface") String iface,
        String linkType,
        int wireLen,
        int capLen,
        String srcMac,
        String dstMac,
        Integer ethType,
        Integer vlan,
        Integer innerVlan,
        Integer ipVersion,
        String srcIp,
        String dstIp,
        Integer ttl,
        Integer ipProto,
        String transport,
        Boolean fragment,
        Integer srcPort,
        Integer dstPort,
        Integer tcpFlags,
        Long tcpSeq,
        Long tcpAck,
        Integer tcpWindow,
        Integer payloadLen,
        Integer icmpType,
        Integer icmpCode,
        Integer icmpId,
        Quoted icmpQuoted,
        Arp arp,
        Dns dns,
        Http http,
        Tls tls,
        String payloadHead,
        String communityId,
        String decodeError,
        String marker) implements Timestamped {

    @Override
    public long eventTimeUs() {
        return ts;
    }

    /** {@link #marker} of the record a probe sends to every partition when a capture or replay ends. */
    public static final String END_OF_RUN = "end_of_run";

    /** A control record that carries no frame: the end of a run, sent to every partition. */
    public static PacketRecord endOfRun(String runId, String probeId, String iface, long ts) {
        return new PacketRecord(runId + ":end", ts, probeId, iface, null, 0, 0, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, END_OF_RUN);
    }

    public boolean hasMarker() {
        return marker != null;
    }

    /** The run a packet or marker belongs to: its id is the run's, a colon, and its number (or "end"). */
    public String runId() {
        return id == null ? "" : id.substring(0, Math.max(0, id.lastIndexOf(':')));
    }

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    /**
     * TCP flag combinations no ordinary stack sends: the probes of stealth scans and OS fingerprinting (nmap's NULL,
     * FIN, Xmas and SYN+FIN probes). Returns the probe's customary name, or null for a normal segment.
     */
    public static String oddTcpFlags(int flags) {
        int core = flags & (FIN | SYN | RST | PSH | ACK | URG);
        boolean fin = (core & FIN) != 0;
        boolean syn = (core & SYN) != 0;
        boolean rst = (core & RST) != 0;
        boolean ack = (core & ACK) != 0;
        if (core == 0) {
            return "NULL";
        }
        if (syn && fin) {
            return "SYN+FIN";
        }
        if (syn && rst) {
            return "SYN+RST";
        }
        if (core == (FIN | PSH | URG)) {
            return "Xmas";
        }
        if (fin && !ack && !rst) {
            return "FIN without ACK";
        }
        return null;
    }
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public boolean hasTcpFlag(int flag) {
        return tcpFlags != null && (tcpFlags & flag) != 0;
    }

    /** The start of the datagram an ICMP error message quotes, which names the flow the error is about. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quoted(int ipProto, String srcIp, Integer srcPort, String dstIp, Integer dstPort) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arp(int operation, String senderMac, String senderIp, String targetMac, String targetIp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dns(int id, boolean response, int opcode, int rcode, String qname, Integer qtype, String qtypeName,
                      int ancount, List<String> answers) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Http(String method, String uri, String version, String host, String userAgent, Integer status,
                       String authScheme) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tls(String sni, String version, String ja3, String ja3Hash, List<String> alpn) {
    }
}
