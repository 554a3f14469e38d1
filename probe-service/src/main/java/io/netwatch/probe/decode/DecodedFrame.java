package io.netwatch.probe.decode;

import io.netwatch.records.PacketRecord;

/**
 * The decoded fields of one frame, reused from frame to frame so that decoding allocates nothing for the common
 * layers; only application-layer details (DNS, HTTP, TLS) become objects. Addresses stay as bytes here and become
 * text when a {@link PacketRecord} is built.
 */
public final class DecodedFrame {
    public static final int NONE = -1;

    public int linkType;
    public int capLen;
    public int wireLen;

    public boolean hasEthernet;
    public final byte[] srcMac = new byte[6];
    public final byte[] dstMac = new byte[6];
    public int ethType = NONE;
    public int vlan = NONE;
    public int innerVlan = NONE;

    public int ipVersion; // 0: no IP
    public final byte[] srcIp = new byte[16];
    public final byte[] dstIp = new byte[16];
    public int ttl;
    public int ipProto = NONE;
    public boolean fragment;
    /** Transport header present (false for non-first fragments and truncated headers). */
    public boolean hasTransport;

    public int srcPort = NONE;
    public int dstPort = NONE;
    public int tcpFlags = NONE;
    public long tcpSeq;
    public long tcpAck;
    public int tcpWindow;
    /** Transport payload length from the headers' lengths (not what was captured), or NONE. */
    public int payloadLen = NONE;
    /** Where the transport payload starts in the frame buffer and how much of it was captured. */
    public int payloadOff;
    public int payloadCaptured;

    public int icmpType = NONE;
    public int icmpCode = NONE;
    public int icmpId = NONE;

    /** The datagram quoted by an ICMP error: IP version (0: none), protocol, addresses and ports. */
    public int quotedIpVersion;
    public int quotedProto = NONE;
    public final byte[] quotedSrcIp = new byte[16];
    public final byte[] quotedDstIp = new byte[16];
    public int quotedSrcPort = NONE;
    public int quotedDstPort = NONE;

    public boolean hasArp;
    public int arpOp;
    public final byte[] arpSenderMac = new byte[6];
    public final byte[] arpSenderIp = new byte[4];
    public final byte[] arpTargetMac = new byte[6];
    public final byte[] arpTargetIp = new byte[4];

    public PacketRecord.Dns dns;
    public PacketRecord.Http http;
    public PacketRecord.Tls tls;

    /** Why decoding stopped early, or null; a constant string, so recording it allocates nothing. */
    public String error;

    public void reset(int linkType, int capLen, int wireLen) {
        this.linkType = linkType;
        this.capLen = capLen;
        this.wireLen = wireLen;
        hasEthernet = false;
        ethType = NONE;
        vlan = NONE;
        innerVlan = NONE;
        ipVersion = 0;
        ttl = 0;
        ipProto = NONE;
        fragment = false;
        hasTransport = false;
        srcPort = NONE;
        dstPort = NONE;
        tcpFlags = NONE;
        tcpSeq = 0;
        tcpAck = 0;
        tcpWindow = 0;
        payloadLen = NONE;
        payloadOff = 0;
        payloadCaptured = 0;
        icmpType = NONE;
        icmpCode = NONE;
        icmpId = NONE;
        quotedIpVersion = 0;
        quotedProto = NONE;
        quotedSrcPort = NONE;
        quotedDstPort = NONE;
        hasArp = false;
        arpOp = 0;
        dns = null;
        http = null;
        tls = null;
        error = null;
    }

    public int ipLength() {
        return ipVersion == 4 ? 4 : ipVersion == 6 ? 16 : 0;
    }

    public boolean isTcp() {
        return ipProto == 6 && hasTransport;
    }

    public boolean isUdp() {
        return ipProto == 17 && hasTransport;
    }

    public boolean isIcmp() {
        return ipVersion != 0 && ipProto == 1;
    }

    public boolean isIcmpv6() {
        return ipVersion != 0 && ipProto == 58;
    }
}
