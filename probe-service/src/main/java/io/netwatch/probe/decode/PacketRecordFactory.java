package io.netwatch.probe.decode;

import io.netwatch.probe.capture.LinkType;
import io.netwatch.records.FlowKey;
import io.netwatch.records.IpAddresses;
import io.netwatch.records.PacketRecord;

import java.util.Base64;

/**
 * Turns a {@link DecodedFrame} into the packet record and Kafka key published for it; one instance per
 * feeding thread. The key is the canonical
 * bidirectional flow key, so both directions of a conversation land in one partition.
 */
public final class PacketRecordFactory {
    /** Enough for the flows of a busy link's last moment: about 2 MB of text. */
    private static final int FLOW_TEXT_SLOTS = 8192;
    private static final int MAC_TEXT_SLOTS = 256;

    private final String probeId;
    private final String iface;
    /** Ports of cleartext protocols whose payload detections read (credentials, community strings). */
    public static final int[] CLEARTEXT_PORTS = {21, 23, 25, 110, 143, 161, 162, 389, 513, 514};

    private final int payloadHeadBytes;
    private final boolean[] headPorts = new boolean[65536];
    private final boolean headOnAllPorts;
    private final FlowTextCache flowTexts;
    private final MacTextCache macTexts;

    public PacketRecordFactory(String probeId, String iface, int payloadHeadBytes) {
        this(probeId, iface, payloadHeadBytes, CLEARTEXT_PORTS);
    }

    /**
     * @param payloadHeadBytes how many leading payload bytes to carry (base64) for detections that read cleartext
     *                         protocols; 0 carries none
     * @param headPorts        the ports (either end) whose packets carry them; empty: every port
     */
    public PacketRecordFactory(String probeId, String iface, int payloadHeadBytes, int[] headPorts) {
        this(probeId, iface, payloadHeadBytes, headPorts, FLOW_TEXT_SLOTS, MAC_TEXT_SLOTS);
    }

    /**
     * Without the caches of flow and MAC text, to check that they change nothing.
     */
    static PacketRecordFactory uncached(String probeId, String iface, int payloadHeadBytes) {
        return new PacketRecordFactory(probeId, iface, payloadHeadBytes, CLEARTEXT_PORTS, 0, 0);
    }

    /** @param flowTextSlots, macTextSlots sizes of the text caches (powers of two); 0 caches nothing */
    PacketRecordFactory(String probeId, String iface, int payloadHeadBytes, int[] headPorts, int flowTextSlots,
                        int macTextSlots) {
        this.flowTexts = new FlowTextCache(flowTextSlots);
        this.macTexts = new MacTextCache(macTextSlots);
        this.probeId = probeId;
        this.iface = iface;
        this.payloadHeadBytes = payloadHeadBytes;
        this.headOnAllPorts = headPorts.length == 0;
        for (int port : headPorts) {
            this.headPorts[port & 0xffff] = true;
        }
    }

    public String probeId() {
        return probeId;
    }

    public String iface() {
        return iface;
    }

    private boolean carriesHead(DecodedFrame f) {
        if (headOnAllPorts) {
            return true;
        }
        return f.srcPort >= 0 && (headPorts[f.srcPort] || headPorts[f.dstPort]);
    }

    /** A record and its key; {@code key} is the Kafka key. */
    public record Keyed(String key, PacketRecord record) {
    }

    public Keyed build(String id, long tsNanos, DecodedFrame f, byte[] frame) {
        int addrLen = f.ipLength();
        String srcIp = null;
        String dstIp = null;
        String communityId = null;
        String key;
        int vlan = f.vlan == DecodedFrame.NONE ? 0 : f.vlan;
        Integer srcPort = Uint16Boxes.box(f.srcPort, DecodedFrame.NONE);
        Integer dstPort = Uint16Boxes.box(f.dstPort, DecodedFrame.NONE);
        String transport = transportName(f);
        if (addrLen > 0) {
            int sp;
            int dp;
            int cidSp;
            int cidDp;
            if (f.icmpType != DecodedFrame.NONE) {
                cidSp = f.icmpType;
                cidDp = f.icmpCode;
                // ICMP queries are keyed by their identifier so a request and its reply share a flow.
                sp = f.icmpId != DecodedFrame.NONE ? f.icmpId : f.icmpType;
                dp = f.icmpId != DecodedFrame.NONE ? f.icmpId : f.icmpCode;
            } else {
                sp = srcPort == null ? 0 : srcPort;
                dp = dstPort == null ? 0 : dstPort;
                cidSp = sp;
                cidDp = dp;
            }
            FlowTextCache.FlowText text = flowTexts.of(f.ipProto, vlan, f.srcIp, f.dstIp, addrLen, sp, dp, cidSp,
                    cidDp, f.hasTransport || !hasPorts(f.ipProto));
            srcIp = text.srcIp();
            dstIp = text.dstIp();
            key = text.key();
            communityId = text.communityId();
        } else if (f.hasArp) {
            key = FlowKey.arp(vlan, IpAddresses.formatV4(f.arpSenderIp, 0), IpAddresses.formatV4(f.arpTargetIp, 0));
        } else if (f.hasEthernet) {
            key = FlowKey.link(vlan, Math.max(f.ethType, 0), mac(f.srcMac), mac(f.dstMac));
        } else {
            key = "link/" + f.linkType;
        }
        PacketRecord.Arp arp = f.hasArp ? new PacketRecord.Arp(f.arpOp, mac(f.arpSenderMac),
                IpAddresses.formatV4(f.arpSenderIp, 0), mac(f.arpTargetMac), IpAddresses.formatV4(f.arpTargetIp, 0))
                : null;
        String payloadHead = null;
        if (payloadHeadBytes > 0 && f.payloadCaptured > 0 && carriesHead(f)) {
            int n = Math.min(payloadHeadBytes, f.payloadCaptured);
            payloadHead = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(frame, f.payloadOff,
                    f.payloadOff + n));
        }
        boolean tcp = f.ipProto == 6 && f.tcpFlags != DecodedFrame.NONE;
        PacketRecord.Quoted quoted = null;
        if (f.quotedIpVersion != 0) {
            int qlen = f.quotedIpVersion == 4 ? 4 : 16;
            quoted = new PacketRecord.Quoted(f.quotedProto, IpAddresses.format(f.quotedSrcIp, 0, qlen),
                    f.quotedSrcPort == DecodedFrame.NONE ? null : f.quotedSrcPort,
                    IpAddresses.format(f.quotedDstIp, 0, qlen),
                    f.quotedDstPort == DecodedFrame.NONE ? null : f.quotedDstPort);
        }
        PacketRecord r = new PacketRecord(
                id,
                tsNanos / 1000,
                probeId,
                iface,
                LinkType.name(f.linkType),
                f.wireLen,
                f.capLen,
                f.hasEthernet ? mac(f.srcMac) : null,
                f.hasEthernet ? mac(f.dstMac) : null,
                Uint16Boxes.box(f.ethType, DecodedFrame.NONE),
                Uint16Boxes.box(f.vlan, DecodedFrame.NONE),
                Uint16Boxes.box(f.innerVlan, DecodedFrame.NONE),
                addrLen > 0 ? Uint16Boxes.box(f.ipVersion, DecodedFrame.NONE) : null,
                srcIp,
                dstIp,
                addrLen > 0 ? Uint16Boxes.box(f.ttl, DecodedFrame.NONE) : null,
                Uint16Boxes.box(f.ipProto, DecodedFrame.NONE),
                transport,
                f.fragment ? Boolean.TRUE : null,
                srcPort,
                dstPort,
                tcp ? Uint16Boxes.box(f.tcpFlags, DecodedFrame.NONE) : null,
                tcp ? f.tcpSeq : null,
                tcp ? f.tcpAck : null,
                tcp ? Uint16Boxes.box(f.tcpWindow, DecodedFrame.NONE) : null,
                Uint16Boxes.box(f.payloadLen, DecodedFrame.NONE),
                Uint16Boxes.box(f.icmpType, DecodedFrame.NONE),
                Uint16Boxes.box(f.icmpCode, DecodedFrame.NONE),
                Uint16Boxes.box(f.icmpId, DecodedFrame.NONE),
                quoted,
                arp,
                f.dns,
                f.http,
                f.tls,
                payloadHead,
                communityId,
                f.error,
                null);
        return new Keyed(key, r);
    }

    private static boolean hasPorts(int proto) {
        return proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
    }

    /** network.transport in ECS terms; "arp" for ARP frames; absent for other frames. */
    static String transportName(DecodedFrame f) {
        if (f.hasArp) {
            return "arp";
        }
        if (f.ipVersion == 0) {
            return null;
        }
        switch (f.ipProto) {
            case 6: return "tcp";
            case 17: return "udp";
            case 1: return "icmp";
            case 58: return "icmpv6";
            case 132: return "sctp";
            case 47: return "gre";
            case 50: return "esp";
            case 51: return "ah";
            default: return f.ipProto < 0 ? null : "ip-" + f.ipProto;
        }
    }

    private String mac(byte[] m) {
        return macTexts.of(m);
    }
}
