package io.netwatch.probe.decode;

import io.netwatch.probe.capture.LinkType;

/**
 * Decodes raw frames layer by layer into a reused {@link DecodedFrame}: link layer (Ethernet II with 802.1Q/802.1ad
 * tags, MPLS and PPPoE shims, Linux cooked v1/v2, raw IP, BSD loopback, PPP), ARP, IPv4, IPv6 with extension
 * headers, TCP, UDP, SCTP ports, ICMP, ICMPv6, then DNS, HTTP and the TLS ClientHello. Every read is bounds-checked
 * against the captured length: a short or corrupt frame keeps what was decoded before the damage and names it in
 * {@link DecodedFrame#error}. One instance per thread.
 */
public final class FrameDecoder {
    static final String E_LINK = "link type not decoded";
    static final String E_ETH = "truncated Ethernet header";
    static final String E_VLAN = "truncated VLAN tag";
    static final String E_SLL = "truncated Linux cooked header";
    static final String E_NULL = "truncated loopback header";
    static final String E_ARP = "truncated ARP packet";
    static final String E_IP4 = "truncated IPv4 header";
    static final String E_IP4_VERSION = "IPv4 header with a wrong version";
    static final String E_IP4_HLEN = "IPv4 header length below 20";
    static final String E_IP4_TOTAL = "IPv4 total length shorter than its header";
    static final String E_IP4_OPTIONS = "truncated IPv4 options";
    static final String E_IP6 = "truncated IPv6 header";
    static final String E_IP6_VERSION = "IPv6 header with a wrong version";
    static final String E_IP6_EXT = "truncated IPv6 extension header";
    static final String E_IP_VERSION = "raw IP frame with an unknown version";
    static final String E_TCP = "truncated TCP header";
    static final String E_TCP_OFFSET = "TCP data offset below 20";
    static final String E_TCP_LEN = "TCP header longer than the IP payload";
    static final String E_UDP = "truncated UDP header";
    static final String E_UDP_LEN = "UDP length disagrees with the IP payload";
    static final String E_ICMP = "truncated ICMP header";
    static final String E_MPLS = "truncated MPLS label stack";
    static final String E_PPPOE = "truncated PPPoE header";

    private static final int MAX_TAGS = 8;
    private static final int MAX_EXT_HEADERS = 16;

    private final DnsDecoder dnsDecoder = new DnsDecoder();

    public void decode(int linkType, byte[] b, int off, int capLen, int wireLen, DecodedFrame f) {
        f.reset(linkType, capLen, wireLen);
        int end = off + Math.max(0, Math.min(capLen, b.length - off));
        switch (linkType) {
            case LinkType.ETHERNET -> ethernet(b, off, end, f);
            case LinkType.LINUX_SLL -> sll(b, off, end, f);
            case LinkType.LINUX_SLL2 -> sll2(b, off, end, f);
            // LINKTYPE_IPV4/IPV6 frames are dispatched on their version too: writers mislabel them.
            case LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14, LinkType.IPV4, LinkType.IPV6 ->
                    rawIp(b, off, end, f);
            case LinkType.NULL -> bsdLoopback(b, off, end, f, false);
            case LinkType.LOOP -> bsdLoopback(b, off, end, f, true);
            case LinkType.PPP -> ppp(b, off, end, f);
            default -> f.error = E_LINK;
        }
    }

    private void ethernet(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 14) {
            f.error = E_ETH;
            return;
        }
        System.arraycopy(b, p, f.dstMac, 0, 6);
        System.arraycopy(b, p + 6, f.srcMac, 0, 6);
        f.hasEthernet = true;
        int type = u16(b, p + 12);
        p += 14;
        for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < MAX_TAGS; tags++) {
            if (end - p < 4) {
                f.ethType = type;
                f.error = E_VLAN;
                return;
            }
            int vid = u16(b, p) & 0x0fff;
            if (f.vlan == DecodedFrame.NONE) {
                f.vlan = vid;
            } else if (f.innerVlan == DecodedFrame.NONE) {
                f.innerVlan = vid;
            }
            type = u16(b, p + 2);
            p += 4;
        }
        f.ethType = type;
        network(type, b, p, end, f);
    }

    /** Dispatches on an EtherType; types that carry no IP or ARP (LLC, LLDP, ...) are not errors. */
    private void network(int type, byte[] b, int p, int end, DecodedFrame f) {
        switch (type) {
            case 0x0800 -> ipv4(b, p, end, f);
            case 0x86dd -> ipv6(b, p, end, f);
            case 0x0806 -> arp(b, p, end, f);
            case 0x8847, 0x8848 -> mpls(b, p, end, f);
            case 0x8864 -> pppoeSession(b, p, end, f);
            default -> { }
        }
    }

    private void sll(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 16) {
            f.error = E_SLL;
            return;
        }
        int arphrd = u16(b, p + 2);
        int proto = u16(b, p + 14);
        f.ethType = proto;
        if (arphrd == 824) {
            return; // netlink messages, not packets
        }
        network(proto, b, p + 16, end, f);
    }

    private void sll2(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 20) {
            f.error = E_SLL;
            return;
        }
        int proto = u16(b, p);
        int arphrd = u16(b, p + 8);
        f.ethType = proto;
        if (arphrd == 824) {
            return;
        }
        network(proto, b, p + 20, end, f);
    }

    private void rawIp(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 1) {
            f.error = E_IP4;
            return;
        }
        int version = (b[p] & 0xff) >>> 4;
        if (version == 4) {
            ipv4(b, p, end, f);
        } else if (version == 6) {
            ipv6(b, p, end, f);
        } else {
            f.error = E_IP_VERSION;
        }
    }

    /** BSD loopback: a 4-byte address family, in the capturing host's byte order for NULL, network order for LOOP. */
    private void bsdLoopback(byte[] b, int p, int end, DecodedFrame f, boolean networkOrder) {
        if (end - p < 4) {
            f.error = E_NULL;
            return;
        }
        int be = (int) u32(b, p);
        int family = networkOrder ? be : (be & 0xffff0000) != 0 ? Integer.reverseBytes(be) : be;
        switch (family) {
            case 2 -> ipv4(b, p + 4, end, f);
            case 10, 24, 28, 30 -> ipv6(b, p + 4, end, f); // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
            default -> rawIp(b, p + 4, end, f);
        }
    }

    private void ppp(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p >= 2 && (b[p] & 0xff) == 0xff && (b[p + 1] & 0xff) == 0x03) {
            p += 2; // HDLC address and control
        }
        if (end - p < 1) {
            return;
        }
        int proto;
        if ((b[p] & 1) == 1) { // compressed one-byte protocol field
            proto = b[p] & 0xff;
            p += 1;
        } else {
            if (end - p < 2) {
                return;
            }
            proto = u16(b, p);
            p += 2;
        }
        pppPayload(proto, b, p, end, f);
    }

    private void pppPayload(int proto, byte[] b, int p, int end, DecodedFrame f) {
        if (proto == 0x0021) {
            ipv4(b, p, end, f);
        } else if (proto == 0x0057) {
            ipv6(b, p, end, f);
        }
    }

    private void pppoeSession(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 8) {
            f.error = E_PPPOE;
            return;
        }
        pppPayload(u16(b, p + 6), b, p + 8, end, f);
    }

    private void mpls(byte[] b, int p, int end, DecodedFrame f) {
        for (int labels = 0; labels < MAX_TAGS; labels++) {
            if (end - p < 4) {
                f.error = E_MPLS;
                return;
            }
            boolean bottom = (b[p + 2] & 1) != 0;
            p += 4;
            if (bottom) {
                if (end - p < 1) {
                    return;
                }
                int nibble = (b[p] & 0xff) >>> 4;
                if (nibble == 4) {
                    ipv4(b, p, end, f);
                } else if (nibble == 6) {
                    ipv6(b, p, end, f);
                }
                return; // 0: pseudowire control word, Ethernet over MPLS; not decoded
            }
        }
    }

    private void arp(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 8) {
            f.error = E_ARP;
            return;
        }
        int htype = u16(b, p);
        int ptype = u16(b, p + 2);
        int hlen = b[p + 4] & 0xff;
        int plen = b[p + 5] & 0xff;
        f.arpOp = u16(b, p + 6);
        f.hasArp = true;
        if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
            return; // not Ethernet/IPv4 ARP: operation only
        }
        if (end - p < 28) {
            f.error = E_ARP;
            return;
        }
        System.arraycopy(b, p + 8, f.arpSenderMac, 0, 6);
        System.arraycopy(b, p + 14, f.arpSenderIp, 0, 4);
        System.arraycopy(b, p + 18, f.arpTargetMac, 0, 6);
        System.arraycopy(b, p + 24, f.arpTargetIp, 0, 4);
    }

    private void ipv4(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 20) {
            f.error = E_IP4;
            return;
        }
        int vihl = b[p] & 0xff;
        if ((vihl >>> 4) != 4) {
            f.error = E_IP4_VERSION;
            return;
        }
        int ihl = (vihl & 0x0f) * 4;
        f.ipVersion = 4;
        int totalLen = u16(b, p + 2);
        int flagsFrag = u16(b, p + 6);
        f.ttl = b[p + 8] & 0xff;
        f.ipProto = b[p + 9] & 0xff;
        System.arraycopy(b, p + 12, f.srcIp, 0, 4);
        System.arraycopy(b, p + 16, f.dstIp, 0, 4);
        if (ihl < 20) {
            f.error = E_IP4_HLEN;
            return;
        }
        int wirePayload;
        if (totalLen == 0) {
            // TCP segmentation offload (and BIG TCP) leave 0 here: the frame itself is the datagram.
            wirePayload = Math.max(0, Math.max(f.wireLen - (p - (end - f.capLen)), end - p) - ihl);
        } else if (totalLen < ihl) {
            f.error = E_IP4_TOTAL;
            return;
        } else {
            wirePayload = totalLen - ihl;
        }
        if (end - p < ihl) {
            f.error = E_IP4_OPTIONS;
            return;
        }
        int fragOffset = flagsFrag & 0x1fff;
        f.fragment = (flagsFrag & 0x2000) != 0 || fragOffset != 0;
        if (fragOffset != 0) {
            return; // a later fragment: no transport header here
        }
        int ipEnd = totalLen == 0 ? end : Math.min(end, p + totalLen);
        transport(f.ipProto, b, p + ihl, ipEnd, wirePayload, f);
    }

    private void ipv6(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 40) {
            f.error = E_IP6;
            return;
        }
        if (((b[p] & 0xff) >>> 4) != 6) {
            f.error = E_IP6_VERSION;
            return;
        }
        f.ipVersion = 6;
        int payloadLen = u16(b, p + 4);
        int next = b[p + 6] & 0xff;
        f.ttl = b[p + 7] & 0xff;
        System.arraycopy(b, p + 8, f.srcIp, 0, 16);
        System.arraycopy(b, p + 24, f.dstIp, 0, 16);
        int q = p + 40;
        // 0 is a jumbogram (hop-by-hop option) or, in captures from the sending host, segmentation offload.
        boolean jumbo = payloadLen == 0;
        int ipEnd = jumbo ? end : Math.min(end, q + payloadLen);
        int remaining = jumbo ? Math.max(0, end - q) : payloadLen;
        for (int i = 0; i < MAX_EXT_HEADERS; i++) {
            int len;
            switch (next) {
                case 0, 43, 60, 135, 139, 140, 253, 254 -> {
                    if (ipEnd - q < 2) {
                        f.ipProto = next;
                        f.error = E_IP6_EXT;
                        return;
                    }
                    len = ((b[q + 1] & 0xff) + 1) * 8;
                }
                case 51 -> {
                    if (ipEnd - q < 2) {
                        f.ipProto = next;
                        f.error = E_IP6_EXT;
                        return;
                    }
                    len = ((b[q + 1] & 0xff) + 2) * 4;
                }
                case 44 -> {
                    if (ipEnd - q < 8) {
                        f.ipProto = next;
                        f.error = E_IP6_EXT;
                        return;
                    }
                    int offFlags = u16(b, q + 2);
                    f.fragment = true;
                    if ((offFlags >>> 3) != 0) {
                        f.ipProto = b[q] & 0xff;
                        return; // a later fragment
                    }
                    len = 8;
                }
                default -> {
                    f.ipProto = next;
                    transport(next, b, q, ipEnd, Math.max(0, remaining), f);
                    return;
                }
            }
            if (ipEnd - q < len) {
                f.ipProto = next;
                f.error = E_IP6_EXT;
                return;
            }
            next = b[q] & 0xff;
            q += len;
            remaining -= len;
        }
        f.ipProto = next;
    }

    /**
     * @param p           start of the transport header
     * @param ipEnd       end of the captured part of the IP payload
     * @param wirePayload length of the IP payload on the wire, from the IP header
     */
    private void transport(int proto, byte[] b, int p, int ipEnd, int wirePayload, DecodedFrame f) {
        int avail = ipEnd - p;
        switch (proto) {
            case 6 -> {
                if (avail < 4) {
                    f.error = E_TCP;
                    return;
                }
                f.hasTransport = true; // the ports alone make a flow: keep them when the snaplen cut the rest
                f.srcPort = u16(b, p);
                f.dstPort = u16(b, p + 2);
                if (avail < 20) {
                    f.error = E_TCP;
                    return;
                }
                f.tcpSeq = u32(b, p + 4);
                f.tcpAck = u32(b, p + 8);
                int doff = ((b[p + 12] & 0xff) >>> 4) * 4;
                f.tcpFlags = b[p + 13] & 0xff;
                f.tcpWindow = u16(b, p + 14);
                if (doff < 20) {
                    f.error = E_TCP_OFFSET;
                    f.payloadLen = 0;
                    return;
                }
                if (doff > wirePayload) {
                    f.error = E_TCP_LEN;
                    f.payloadLen = 0;
                    return;
                }
                f.payloadLen = wirePayload - doff;
                f.payloadOff = p + doff;
                f.payloadCaptured = Math.max(0, Math.min(ipEnd - f.payloadOff, f.payloadLen));
                application(b, f);
            }
            case 17 -> {
                if (avail < 4) {
                    f.error = E_UDP;
                    return;
                }
                f.hasTransport = true;
                f.srcPort = u16(b, p);
                f.dstPort = u16(b, p + 2);
                if (avail < 8) {
                    f.error = E_UDP;
                    return;
                }
                int udpLen = u16(b, p + 4);
                if (udpLen >= 8 && udpLen <= wirePayload) {
                    f.payloadLen = udpLen - 8;
                } else {
                    if (!(udpLen == 0 && wirePayload > 0xffff)) { // 0 is legal only in an IPv6 jumbogram
                        f.error = E_UDP_LEN;
                    }
                    f.payloadLen = Math.max(0, wirePayload - 8);
                }
                f.payloadOff = p + 8;
                f.payloadCaptured = Math.max(0, Math.min(ipEnd - f.payloadOff, f.payloadLen));
                application(b, f);
            }
            case 132 -> {
                if (avail < 12) {
                    return;
                }
                f.hasTransport = true;
                f.srcPort = u16(b, p);
                f.dstPort = u16(b, p + 2);
                f.payloadLen = Math.max(0, wirePayload - 12);
            }
            case 1, 58 -> {
                if (avail < 4) {
                    f.error = E_ICMP;
                    return;
                }
                f.hasTransport = true;
                f.icmpType = b[p] & 0xff;
                f.icmpCode = b[p + 1] & 0xff;
                boolean query = proto == 1 ? io.netwatch.records.CommunityId.icmpCounterpart(f.icmpType) >= 0
                        : f.icmpType == 128 || f.icmpType == 129;
                if (query && avail >= 6) {
                    f.icmpId = u16(b, p + 4);
                }
                f.payloadLen = Math.max(0, wirePayload - 8);
                f.payloadOff = Math.min(ipEnd, p + 8);
                f.payloadCaptured = Math.max(0, Math.min(ipEnd - f.payloadOff, f.payloadLen));
                boolean error = proto == 1 ? f.icmpType == 3 || f.icmpType == 4 || f.icmpType == 5
                        || f.icmpType == 11 || f.icmpType == 12 : f.icmpType >= 1 && f.icmpType <= 4;
                if (error) {
                    quoted(b, p + 8, ipEnd, f);
                }
            }
            default -> { }
        }
    }

    /** The start of the datagram an ICMP error quotes: its protocol, addresses and ports, where captured. */
    private static void quoted(byte[] b, int p, int end, DecodedFrame f) {
        if (end - p < 1) {
            return;
        }
        int version = (b[p] & 0xff) >>> 4;
        int t;
        if (version == 4 && end - p >= 20) {
            f.quotedIpVersion = 4;
            f.quotedProto = b[p + 9] & 0xff;
            System.arraycopy(b, p + 12, f.quotedSrcIp, 0, 4);
            System.arraycopy(b, p + 16, f.quotedDstIp, 0, 4);
            t = p + Math.max(20, (b[p] & 0x0f) * 4);
        } else if (version == 6 && end - p >= 40) {
            f.quotedIpVersion = 6;
            f.quotedProto = b[p + 6] & 0xff;
            System.arraycopy(b, p + 8, f.quotedSrcIp, 0, 16);
            System.arraycopy(b, p + 24, f.quotedDstIp, 0, 16);
            t = p + 40;
        } else {
            return;
        }
        int qp = f.quotedProto;
        if ((qp == 6 || qp == 17 || qp == 132) && end - t >= 4) {
            f.quotedSrcPort = u16(b, t);
            f.quotedDstPort = u16(b, t + 2);
        }
    }

    private void application(byte[] b, DecodedFrame f) {
        if (f.payloadCaptured <= 0) {
            return;
        }
        int o = f.payloadOff;
        int n = f.payloadCaptured;
        if (f.srcPort == 53 || f.dstPort == 53) {
            if (f.ipProto == 17) {
                dnsDecoder.decode(b, o, n, f);
            } else if (n >= 2 + 12) {
                // DNS over TCP: a 2-byte length, then the message; decoded when it starts in this segment.
                int msgLen = u16(b, o);
                if (msgLen >= 12) {
                    dnsDecoder.decode(b, o + 2, Math.min(n - 2, msgLen), f);
                }
            }
            return;
        }
        if (f.ipProto == 6) {
            if (HttpDecoder.looksLikeHttp(b, o, n)) {
                f.http = HttpDecoder.decode(b, o, n);
            } else if (TlsDecoder.isClientHello(b, o, n)) {
                f.tls = TlsDecoder.decodeClientHello(b, o, n);
            }
        }
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
