package io.netwatch.records;

/**
 * The canonical bidirectional key of a flow: IP protocol, VLAN id and the two (address, port) ends, the lower end
 * (by address bytes, then port) first, so both directions of a conversation have one key and land in one
 * partition. For ICMP queries (echo, timestamp, ...) both ports hold the query identifier, so a request and its
 * reply share a key; other ICMP messages use type and code, as Community ID does.
 *
 * <p>Wire form, the Kafka key of packet and flow records: {@code proto/vlan/ipA/portA/ipB/portB}, e.g.
 * {@code 6/0/10.0.0.1/51000/10.0.0.2/443}. Frames that carry no IP (ARP, other EtherTypes) have keys of their own
 * built by {@link #arp} and {@link #link}.
 */
public record FlowKey(int proto, int vlan, String ipA, int portA, String ipB, int portB) {

    public static FlowKey of(int proto, int vlan, byte[] src, String srcText, int srcPort,
                             byte[] dst, String dstText, int dstPort) {
        return of(proto, vlan, src, srcText, srcPort, dst, dstText, dstPort, Math.min(src.length, dst.length));
    }

    /** As above, for addresses held in the first {@code addrLen} bytes of larger buffers. */
    public static FlowKey of(int proto, int vlan, byte[] src, String srcText, int srcPort,
                             byte[] dst, String dstText, int dstPort, int addrLen) {
        int c = CommunityId.compareUnsigned(src, dst, addrLen);
        if (c < 0 || (c == 0 && srcPort <= dstPort)) {
            return new FlowKey(proto, vlan, srcText, srcPort, dstText, dstPort);
        }
        return new FlowKey(proto, vlan, dstText, dstPort, srcText, srcPort);
    }

    public static FlowKey of(int proto, int vlan, String srcIp, int srcPort, String dstIp, int dstPort) {
        return of(proto, vlan, IpAddresses.parse(srcIp), srcIp, srcPort, IpAddresses.parse(dstIp), dstIp, dstPort);
    }

    /** Whether the given source is the A (lower) end of this key. */
    public boolean isA(String ip, int port) {
        return ipA.equals(ip) && portA == port;
    }

    public String wire() {
        return proto + "/" + vlan + "/" + ipA + "/" + portA + "/" + ipB + "/" + portB;
    }

    public static FlowKey parse(String wire) {
        String[] p = wire.split("/", -1);
        if (p.length != 6) {
            throw new IllegalArgumentException("not a flow key (proto/vlan/ipA/portA/ipB/portB): " + wire);
        }
        try {
            return new FlowKey(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2], Integer.parseInt(p[3]), p[4],
                    Integer.parseInt(p[5]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a flow key (proto/vlan/ipA/portA/ipB/portB): " + wire, e);
        }
    }

    /** Key of an ARP frame: both addresses of the exchange, lower first, so a request and its reply co-locate. */
    public static String arp(int vlan, String senderIp, String targetIp) {
        boolean senderFirst = senderIp.compareTo(targetIp) <= 0;
        return "arp/" + vlan + "/" + (senderFirst ? senderIp + "/" + targetIp : targetIp + "/" + senderIp);
    }

    /** Key of a frame with no IP or ARP: EtherType and the two MAC addresses, lower first. */
    public static String link(int vlan, int ethType, String srcMac, String dstMac) {
        boolean srcFirst = srcMac.compareTo(dstMac) <= 0;
        return "eth/" + vlan + "/" + ethType + "/" + (srcFirst ? srcMac + "/" + dstMac : dstMac + "/" + srcMac);
    }

    @Override
    public String toString() {
        return wire();
    }
}
