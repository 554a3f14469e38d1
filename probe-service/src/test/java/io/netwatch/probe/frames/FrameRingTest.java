package io.netwatch.probe.frames;

import io.netwatch.records.PacketRecord;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring keeps the newest frames within its budget, byte for byte, across many turns of its storage. */
class FrameRingTest {
    private static final FrameSelector ALL = new FrameSelector(null, Long.MIN_VALUE, Long.MAX_VALUE, null, null,
            null, null, null);

    /** Frame {@code n}: {@code len} bytes, each (n + i) mod 256, so a frame overwritten by another shows. */
    private static byte[] frame(int n, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (n + i);
        }
        return b;
    }

    private static PacketRecord record(int port) {
        return new PacketRecord("r:" + port, 0, "p", "eth0", "ether", 60, 60, null, null, null, null, null, 4,
                "10.0.0.1", "10.0.0.2", 64, 6, "tcp", null, port, 80, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void theNewestFramesStayByteForByteWhileTheStorageTurnsManyTimes() {
        long budget = 3L * FrameRing.CHUNK;
        FrameRing ring = new FrameRing(budget);
        int frames = 40_000;
        for (int n = 0; n < frames; n++) {
            int len = 60 + (n * 37) % 1400;
            byte[] b = frame(n, len);
            // the frame sits at an offset of its capture buffer, as it does in the reader's
            byte[] buf = new byte[len + 7];
            System.arraycopy(b, 0, buf, 7, len);
            ring.add("run", n * 1000L, 1, buf, 7, len, len + 4, record(n % 65_000));
        }
        FrameRing.Stats s = ring.stats();
        assertTrue(s.bytes() <= budget, "within the budget: " + s);
        assertTrue(s.frames() > 1000 && s.frames() < frames, "some held, the oldest gone: " + s);
        assertEquals(frames - s.frames(), s.evicted());
        List<HeldFrame> held = ring.select(ALL, Integer.MAX_VALUE);
        assertEquals(s.frames(), held.size());
        int first = frames - held.size();
        for (int i = 0; i < held.size(); i++) {
            int n = first + i;
            HeldFrame f = held.get(i);
            assertEquals(n * 1000L, f.tsNanos(), "in capture order");
            assertEquals(n % 65_000, f.srcPort());
            assertArrayEquals(frame(n, 60 + (n * 37) % 1400), f.data(), "frame " + n + " as captured");
            assertEquals(f.data().length + 4, f.wireLen());
        }
    }

    @Test
    void aBudgetSmallerThanOneStorageArrayStillHoldsFramesAndZeroHoldsNone() {
        FrameRing small = new FrameRing(10_000);
        for (int n = 0; n < 100; n++) {
            small.add("run", n, 1, frame(n, 500), 0, 500, 500, record(n));
        }
        List<HeldFrame> held = small.select(ALL, 100);
        assertEquals(10_000 / (500 + 96), held.size(), "frames and their entries within 10,000 bytes");
        assertArrayEquals(frame(99, 500), held.get(held.size() - 1).data());
        FrameRing none = new FrameRing(0);
        none.add("run", 0, 1, frame(0, 60), 0, 60, 60, record(1));
        assertEquals(0, none.stats().frames());
        assertEquals(List.of(), Arrays.asList(none.select(ALL, 10).toArray()));
    }
}
