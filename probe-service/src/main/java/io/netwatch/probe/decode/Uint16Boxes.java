package io.netwatch.probe.decode;

/**
 * The boxed values 0 to 65,535 (ports, lengths, EtherTypes, flags), made once: a packet record holds half a dozen
 * of them, and boxing each anew was a fifth of what the probe allocates per packet, all of it collector work.
 */
final class Uint16Boxes {
    private static final Integer[] BOXES = new Integer[65_536];

    static {
        for (int i = 0; i < BOXES.length; i++) {
            BOXES[i] = i;
        }
    }

    private Uint16Boxes() {
    }

    /** {@code v} boxed; null for {@code absent}. */
    static Integer box(int v, int absent) {
        if (v == absent) {
            return null;
        }
        return v >= 0 && v < BOXES.length ? BOXES[v] : Integer.valueOf(v);
    }
}
