package io.netwatch.records;

/** An address range, {@code 10.0.0.0/8} or {@code 2001:db8::/32}, matched against address bytes. */
public record Cidr(byte[] prefix, int bits) {

    public static Cidr parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        byte[] prefix = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
        int bits;
        try {
            bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length in " + cidr, e);
        }
        if (bits < 0 || bits > prefix.length * 8) {
            throw new IllegalArgumentException("not a prefix length for " + cidr);
        }
        return new Cidr(prefix, bits);
    }

    /** Comma-separated ranges; blanks between commas are ignored. */
    public static java.util.List<Cidr> parseList(String cidrs) {
        java.util.List<Cidr> out = new java.util.ArrayList<>();
        for (String part : cidrs.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    /** Whether any of the ranges holds the address. */
    public static boolean anyContains(java.util.List<Cidr> ranges, byte[] a) {
        for (Cidr c : ranges) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(byte[] a) {
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
