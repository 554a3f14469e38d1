package io.netwatch.records;

/**
 * Text forms of IP addresses as operators read them: dotted quad for IPv4 and RFC 5952 (lower case, longest run
 * of zero groups compressed) for IPv6, which {@link java.net.InetAddress#getHostAddress()} does not produce.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static String format(byte[] b, int off, int len) {
        if (len == 4) {
            return formatV4(b, off);
        }
        if (len == 16) {
            return formatV6(b, off);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + len);
    }

    public static String formatV4(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(15);
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(b[off + i] & 0xff);
        }
        return sb.toString();
    }

    public static String formatV6(byte[] b, int off) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first such run on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        boolean v4Mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
        if (v4Mapped) {
            return "::ffff:" + formatV4(b, off + 12);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** Parses either textual form back to its bytes; the input must be a literal address, never a host name. */
    public static byte[] parse(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)))) {
            throw new IllegalArgumentException("not an IP address literal: " + ip);
        }
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            boolean ok = Character.digit(c, 16) >= 0 || c == '.' || c == ':';
            if (!ok) {
                throw new IllegalArgumentException("not an IP address literal: " + ip);
            }
        }
        try {
            byte[] b = java.net.InetAddress.getByName(ip).getAddress();
            if (b.length == 4 && ip.indexOf(':') >= 0) {
                // Java turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form that was written.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + ip, e);
        }
    }
}
