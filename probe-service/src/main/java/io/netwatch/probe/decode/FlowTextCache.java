package io.netwatch.probe.decode;

import io.netwatch.records.CommunityId;
import io.netwatch.records.FlowKey;
import io.netwatch.records.IpAddresses;

/**
 * The text of the last packets' flows (both addresses, the flow key, the Community ID), by their binary 5-tuple.
 * Nearly every packet belongs to a flow seen a moment ago, and formatting two addresses and the key and hashing
 * the Community ID for each one took a third of the decoding thread's time (docs/benchmarks.md). Direct-mapped: a
 * slot holds the last flow that hashed to it, so a miss costs one overwrite and the memory is fixed. One instance
 * per thread.
 */
final class FlowTextCache {
    /** What a flow's packets share, in the form the packet record carries it. */
    record FlowText(String srcIp, String dstIp, String key, String communityId) {
    }

    private static final int STRIDE = 6;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int mask;
    /** Per slot: meta (protocol, VLAN, address length, whether a Community ID), ports, the two addresses. */
    private final long[] tuples;
    private final FlowText[] texts;

    /** @param slots a power of two; 0 caches nothing */
    FlowTextCache(int slots) {
        if (slots < 0 || Integer.bitCount(Math.max(slots, 1)) != 1) {
            throw new IllegalArgumentException("slots must be 0 or a power of two: " + slots);
        }
        this.mask = slots - 1;
        this.tuples = new long[slots * STRIDE];
        this.texts = new FlowText[slots];
    }

    /**
     * @param sp     the key's source port (for ICMP queries the identifier)
     * @param cidSp  the Community ID's source port (for ICMP the type)
     * @param withCommunityId whether the packet gets a Community ID (not for truncated transport headers)
     */
    FlowText of(int proto, int vlan, byte[] src, byte[] dst, int addrLen, int sp, int dp, int cidSp, int cidDp,
                boolean withCommunityId) {
        if (texts.length == 0) {
            return compute(proto, vlan, src, dst, addrLen, sp, dp, cidSp, cidDp, withCommunityId);
        }
        // bit 48 marks a used slot, so an empty one (all zero) never matches
        long meta = (proto & 0xffffL) | (vlan & 0xffffL) << 16 | (long) addrLen << 32
                | (withCommunityId ? 1L << 40 : 0) | 1L << 48;
        long ports = (sp & 0xffffL) << 48 | (dp & 0xffffL) << 32 | (cidSp & 0xffffL) << 16 | (cidDp & 0xffffL);
        long s0 = word(src, 0, addrLen);
        long s1 = word(src, 8, addrLen);
        long d0 = word(dst, 0, addrLen);
        long d1 = word(dst, 8, addrLen);
        long h = ((((((meta * GOLDEN) ^ ports) * GOLDEN ^ s0) * GOLDEN ^ s1) * GOLDEN ^ d0) * GOLDEN ^ d1) * GOLDEN;
        int slot = (int) (h >>> 40) & mask;
        int i = slot * STRIDE;
        if (tuples[i] == meta && tuples[i + 1] == ports && tuples[i + 2] == s0 && tuples[i + 3] == s1
                && tuples[i + 4] == d0 && tuples[i + 5] == d1) {
            return texts[slot];
        }
        FlowText text = compute(proto, vlan, src, dst, addrLen, sp, dp, cidSp, cidDp, withCommunityId);
        tuples[i] = meta;
        tuples[i + 1] = ports;
        tuples[i + 2] = s0;
        tuples[i + 3] = s1;
        tuples[i + 4] = d0;
        tuples[i + 5] = d1;
        texts[slot] = text;
        return text;
    }

    private static FlowText compute(int proto, int vlan, byte[] src, byte[] dst, int addrLen, int sp, int dp,
                                    int cidSp, int cidDp, boolean withCommunityId) {
        String srcIp = IpAddresses.format(src, 0, addrLen);
        String dstIp = IpAddresses.format(dst, 0, addrLen);
        return new FlowText(srcIp, dstIp, FlowKey.of(proto, vlan, src, srcIp, sp, dst, dstIp, dp, addrLen).wire(),
                withCommunityId ? CommunityId.of(0, proto, src, cidSp, dst, cidDp, addrLen) : null);
    }

    /** Eight address bytes from {@code off} as a long; bytes beyond the address count as zero. */
    private static long word(byte[] a, int off, int addrLen) {
        long w = 0;
        for (int k = off; k < off + 8; k++) {
            w = w << 8 | (k < addrLen ? a[k] & 0xffL : 0);
        }
        return w;
    }
}
