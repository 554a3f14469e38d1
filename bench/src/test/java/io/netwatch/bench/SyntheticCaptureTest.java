package io.netwatch.bench;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's capture keeps the pace it is written at, read back by the probe's own capture-file reader. */
class SyntheticCaptureTest {
    private static final long START = SyntheticCapture.DEFAULT_START_MICROS;

    @TempDir
    Path dir;

    @Test
    void aCaptureAtARateThatDoesNotDivideASecondKeepsItsPace() throws IOException {
        List<Long> ts = timestampsMicros(write("15k.pcap", 45_000, 15_000));
        assertEquals(45_000, ts.size());
        assertEquals(START + 67, ts.get(0), "1/15,000 s after the start, rounded");
        assertEquals(START + 1_000_000, ts.get(14_999), "the 15,000th packet one second in");
        assertEquals(START + 3_000_000, ts.get(44_999), "no drift from rounding a spacing of 66.7 µs");
        for (int i = 1; i < ts.size(); i++) {
            long gap = ts.get(i) - ts.get(i - 1);
            if (gap != 66 && gap != 67) {
                throw new AssertionError("packet " + i + " is " + gap + " µs after the one before");
            }
        }
    }

    @Test
    void theDefaultRateIsTenMicrosecondsBetweenFramesAsBefore() throws IOException {
        Path rated = write("100k.pcap", 10_000, SyntheticCapture.DEFAULT_RATE_PPS);
        Path plain = dir.resolve("plain.pcap");
        SyntheticCapture.write(plain, 10_000);
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(rated));
        List<Long> ts = timestampsMicros(plain);
        assertEquals(START + 10, ts.get(0));
        assertEquals(START + 100_000, ts.get(9_999));
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> write("zero.pcap", 10, 0));
    }

    /**
     * The campus mix, read back through the probe's reader and decoder: mostly TLS on port 443, long conversations
     * under way from the start (their first frames are before the capture), every alert probe where it was promised,
     * and the two routers' MAC addresses on every IP frame.
     */
    @Test
    void theCampusMixIsMostlyLongTlsConversationsBetweenTwoRouters() throws IOException {
        Path file = dir.resolve("campus.pcap");
        long alerts = SyntheticCapture.write(file, 200_000, START, 10, 100_000, SyntheticCapture.Mix.CAMPUS);
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        long[] n = new long[5]; // frames, TLS port 443, NULL-flag probes, SYNs to port 443, IP frames off the routers
        Set<String> macs = new HashSet<>();
        try (CaptureFileReader r = CaptureFileReader.open(file)) {
            r.readAll((tsNanos, linkType, buf, off, capLen, wireLen) -> {
                decoder.decode(linkType, buf, off, capLen, wireLen, f);
                n[0]++;
                if (f.ipProto == 6 && (f.srcPort == 443 || f.dstPort == 443)) {
                    n[1]++;
                    if (f.dstPort == 443 && f.tcpFlags == 0x02) {
                        n[3]++;
                    }
                }
                if (f.ipProto == 6 && f.tcpFlags == 0) {
                    n[2]++;
                }
                if (f.ipVersion != 0) {
                    macs.add(HexFormat.of().formatHex(buf, off, off + 12));
                }
            });
        }
        assertEquals(200_000, n[0]);
        assertTrue(n[1] > 0.85 * n[0], "TLS frames: " + n[1] + " of " + n[0]);
        assertEquals(alerts, n[2], "one NULL segment a promised alert");
        assertTrue(alerts > 200, "an alert probe every 10 conversations: " + alerts);
        // 200,000 frames at 75 a conversation are about 2,700 conversations, half of them TLS: far fewer SYNs than
        // TLS conversations seen, since the long ones began before the capture
        assertTrue(n[3] > 500 && n[3] < 2_000, "TLS connections opened in the capture: " + n[3]);
        assertEquals(2, macs.size(), "IP frames go between the site's router and the provider's: " + macs);
    }

    private Path write(String name, long packets, double rate) throws IOException {
        Path file = dir.resolve(name);
        SyntheticCapture.write(file, packets, START, 0, rate);
        return file;
    }

    private static List<Long> timestampsMicros(Path file) throws IOException {
        List<Long> ts = new ArrayList<>();
        try (CaptureFileReader r = CaptureFileReader.open(file)) {
            r.readAll((tsNanos, linkType, buf, off, capLen, wireLen) -> ts.add(tsNanos / 1000));
        }
        return ts;
    }
}
