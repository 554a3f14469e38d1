package io.netwatch.detection.rules;

import io.netwatch.records.Cidr;
import io.netwatch.records.IpAddresses;

import java.util.List;

/**
 * The address ranges an operator calls internal (RFC 1918 and IPv6 unique-local by default), and the addresses
 * that are neither internal nor external: multicast, broadcast, loopback, link-local, unspecified.
 */
public final class InternalNetworks {
    public static final String DEFAULT = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

    private static final List<Cidr> NEITHER = Cidr.parseList("224.0.0.0/4,255.255.255.255/32,127.0.0.0/8,169.254.0.0/16,"
            + "0.0.0.0/32,ff00::/8,::1/128,fe80::/10,::/128");

    private final List<Cidr> internal;
    private final String text;

    private InternalNetworks(List<Cidr> internal, String text) {
        this.internal = internal;
        this.text = text;
    }

    /** @param cidrs comma-separated, e.g. {@code 10.0.0.0/8,fd00::/8} */
    public static InternalNetworks of(String cidrs) {
        return new InternalNetworks(Cidr.parseList(cidrs), cidrs);
    }

    public static InternalNetworks defaults() {
        return of(DEFAULT);
    }

    /** Where an address stands, so a packet's addresses are parsed once. */
    public enum Scope { INTERNAL, EXTERNAL, SPECIAL, NONE }

    /**
     * {@link Scope#NONE} for no address; the configured internal ranges first, then multicast, broadcast,
     * loopback, link-local and unspecified ({@link Scope#SPECIAL}: never a host one talks to on its own), the rest
     * external.
     */
    public Scope scope(String ip) {
        if (ip == null) {
            return Scope.NONE;
        }
        byte[] a = bytes(ip);
        if (Cidr.anyContains(internal, a)) {
            return Scope.INTERNAL;
        }
        return Cidr.anyContains(NEITHER, a) ? Scope.SPECIAL : Scope.EXTERNAL;
    }

    /** Multicast, broadcast, loopback, link-local or unspecified, whatever the internal ranges. */
    public static boolean isSpecial(String ip) {
        return ip != null && Cidr.anyContains(NEITHER, bytes(ip));
    }


    /** Dotted quads are parsed here, since this runs per packet; IPv6 goes through the full parser. */
    private static byte[] bytes(String ip) {
        if (ip.indexOf(':') >= 0) {
            return IpAddresses.parse(ip);
        }
        byte[] b = new byte[4];
        int octet = 0;
        int value = 0;
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (c == '.') {
                b[octet++] = (byte) value;
                value = 0;
            } else {
                value = value * 10 + (c - '0');
            }
        }
        b[octet] = (byte) value;
        return b;
    }

    @Override
    public String toString() {
        return text;
    }
}
