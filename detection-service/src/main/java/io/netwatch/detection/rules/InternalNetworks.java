package io.netwatch.detection.rules;

import io.netwatch.records.IpAddresses;

import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges an operator calls internal (RFC 1918 and IPv6 unique-local by default), and the addresses
 * that are neither internal nor external: multicast, broadcast, loopback, link-local, unspecified.
 */
public final class InternalNetworks {
    public static final String DEFAULT = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

    private record Cidr(byte[] prefix, int bits) {
        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Cidr> NEITHER = parseList("224.0.0.0/4,255.255.255.255/32,127.0.0.0/8,169.254.0.0/16,"
            + "0.0.0.0/32,ff00::/8,::1/128,fe80::/10,::/128");

    private final List<Cidr> internal;
    private final String text;

    private InternalNetworks(List<Cidr> internal, String text) {
        this.internal = internal;
        this.text = text;
    }

    /** @param cidrs comma-separated, e.g. {@code 10.0.0.0/8,fd00::/8} */
    public static InternalNetworks of(String cidrs) {
        return new InternalNetworks(parseList(cidrs), cidrs);
    }

    public static InternalNetworks defaults() {
        return of(DEFAULT);
    }

    private static List<Cidr> parseList(String cidrs) {
        List<Cidr> out = new ArrayList<>();
        for (String part : cidrs.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            byte[] prefix = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
            int bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (bits < 0 || bits > prefix.length * 8) {
                throw new IllegalArgumentException("not a prefix length for " + s);
            }
            out.add(new Cidr(prefix, bits));
        }
        return out;
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
        if (matches(internal, a)) {
            return Scope.INTERNAL;
        }
        return matches(NEITHER, a) ? Scope.SPECIAL : Scope.EXTERNAL;
    }

    /** Multicast, broadcast, loopback, link-local or unspecified, whatever the internal ranges. */
    public static boolean isSpecial(String ip) {
        return ip != null && matches(NEITHER, bytes(ip));
    }

    private static boolean matches(List<Cidr> list, byte[] a) {
        for (Cidr c : list) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
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
