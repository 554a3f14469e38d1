package io.netwatch.enrichment.geo;

import io.netwatch.records.Cidr;

import java.util.List;

/**
 * Special-purpose ranges (IANA IPv4 and IPv6 special-purpose registries, RFC 6890) that have no place on a map:
 * they are labelled, never looked up.
 */
public final class AddressScope {
    public static final String PUBLIC = "public";

    private record Range(String label, List<Cidr> cidrs) {
    }

    private static final List<Range> RANGES = List.of(
            new Range("private", Cidr.parseList("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7")),
            new Range("loopback", Cidr.parseList("127.0.0.0/8,::1/128")),
            new Range("link_local", Cidr.parseList("169.254.0.0/16,fe80::/10")),
            new Range("multicast", Cidr.parseList("224.0.0.0/4,ff00::/8")),
            new Range("documentation", Cidr.parseList("192.0.2.0/24,198.51.100.0/24,203.0.113.0/24,2001:db8::/32")),
            new Range("shared", Cidr.parseList("100.64.0.0/10")),
            new Range("benchmarking", Cidr.parseList("198.18.0.0/15,2001:2::/48")),
            new Range("broadcast", Cidr.parseList("255.255.255.255/32")),
            new Range("unspecified", Cidr.parseList("0.0.0.0/8,::/128")),
            new Range("reserved", Cidr.parseList("240.0.0.0/4,192.0.0.0/24,100::/64")));

    private AddressScope() {
    }

    /** The special range's label, or {@link #PUBLIC}. */
    public static String of(byte[] address) {
        for (Range r : RANGES) {
            if (Cidr.anyContains(r.cidrs(), address)) {
                return r.label();
            }
        }
        return PUBLIC;
    }
}
