package io.netwatch.records;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hash (corelight/community-id-spec), so flows can be joined with Zeek, Suricata and
 * Elastic records of the same traffic. Both directions of a flow give the same value.
 */
public final class CommunityId {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    });

    private CommunityId() {
    }

    /**
     * @param srcPort for ICMP/ICMPv6 the type, for protocols without ports ignored
     * @param dstPort for ICMP/ICMPv6 the code
     */
    public static String of(int seed, int proto, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort) {
        return of(seed, proto, srcIp, srcPort, dstIp, dstPort, srcIp.length);
    }

    /** As above, for addresses held in the first {@code addrLen} bytes of larger buffers. */
    public static String of(int seed, int proto, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort, int addrLen) {
        boolean hasPorts = proto == TCP || proto == UDP || proto == SCTP || proto == ICMP || proto == ICMPV6;
        boolean oneWay = false;
        if (proto == ICMP || proto == ICMPV6) {
            int type = srcPort;
            int counterpart = proto == ICMP ? icmpCounterpart(type) : icmp6Counterpart(type);
            if (counterpart >= 0) {
                dstPort = counterpart;
            } else {
                oneWay = true;
                dstPort = dstPort & 0xff;
            }
        }
        byte[] a = srcIp;
        byte[] b = dstIp;
        int pa = srcPort;
        int pb = dstPort;
        if (!oneWay && !ordered(a, pa, b, pb, addrLen)) {
            a = dstIp;
            b = srcIp;
            pa = dstPort;
            pb = srcPort;
        }
        MessageDigest md = SHA1.get();
        md.reset();
        md.update((byte) (seed >>> 8));
        md.update((byte) seed);
        md.update(a, 0, addrLen);
        md.update(b, 0, addrLen);
        md.update((byte) proto);
        md.update((byte) 0);
        if (hasPorts) {
            md.update((byte) (pa >>> 8));
            md.update((byte) pa);
            md.update((byte) (pb >>> 8));
            md.update((byte) pb);
        }
        return "1:" + Base64.getEncoder().encodeToString(md.digest());
    }

    public static String of(int proto, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort) {
        return of(0, proto, srcIp, srcPort, dstIp, dstPort);
    }

    private static boolean ordered(byte[] a, int pa, byte[] b, int pb, int len) {
        int c = compareUnsigned(a, b, len);
        return c < 0 || (c == 0 && pa <= pb);
    }

    static int compareUnsigned(byte[] a, byte[] b) {
        int c = compareUnsigned(a, b, Math.min(a.length, b.length));
        return c != 0 ? c : a.length - b.length;
    }

    static int compareUnsigned(byte[] a, byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    /** The reply type of an ICMPv4 request type and vice versa, or -1 for types that have none. */
    public static int icmpCounterpart(int type) {
        switch (type) {
            case 8: return 0;   // echo
            case 0: return 8;
            case 13: return 14; // timestamp
            case 14: return 13;
            case 15: return 16; // information
            case 16: return 15;
            case 10: return 9;  // router solicitation / advertisement
            case 9: return 10;
            case 17: return 18; // address mask
            case 18: return 17;
            default: return -1;
        }
    }

    public static int icmp6Counterpart(int type) {
        switch (type) {
            case 128: return 129; // echo
            case 129: return 128;
            case 133: return 134; // router solicitation / advertisement
            case 134: return 133;
            case 135: return 136; // neighbor solicitation / advertisement
            case 136: return 135;
            case 130: return 131; // multicast listener query / report
            case 131: return 130;
            case 139: return 140; // node information query / response
            case 140: return 139;
            case 144: return 145; // home agent address discovery
            case 145: return 144;
            default: return -1;
        }
    }
}
