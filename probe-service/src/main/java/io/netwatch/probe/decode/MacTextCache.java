package io.netwatch.probe.decode;

/**
 * The text of recently seen MAC addresses. A link carries few of them (the hosts of a segment, its routers), and
 * every Ethernet packet needs two. Direct-mapped, fixed memory, one instance per thread.
 */
final class MacTextCache {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int mask;
    /** Per slot: the address in the low 48 bits, bit 48 set once used. */
    private final long[] macs;
    private final String[] texts;

    /** @param slots a power of two; 0 caches nothing */
    MacTextCache(int slots) {
        if (slots < 0 || Integer.bitCount(Math.max(slots, 1)) != 1) {
            throw new IllegalArgumentException("slots must be 0 or a power of two: " + slots);
        }
        this.mask = slots - 1;
        this.macs = new long[slots];
        this.texts = new String[slots];
    }

    /** {@code aa:bb:cc:dd:ee:ff} for the first six bytes of {@code m}. */
    String of(byte[] m) {
        if (texts.length == 0) {
            return format(m);
        }
        long v = 1L << 48;
        for (int i = 0; i < 6; i++) {
            v |= (m[i] & 0xffL) << (40 - 8 * i);
        }
        int slot = (int) ((v * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        if (macs[slot] == v) {
            return texts[slot];
        }
        String text = format(m);
        macs[slot] = v;
        texts[slot] = text;
        return text;
    }

    static String format(byte[] m) {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            c[i * 3] = HEX[(m[i] >>> 4) & 0xf];
            c[i * 3 + 1] = HEX[m[i] & 0xf];
            if (i < 5) {
                c[i * 3 + 2] = ':';
            }
        }
        return new String(c);
    }
}
