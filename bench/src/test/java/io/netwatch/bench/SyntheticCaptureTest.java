package io.netwatch.bench;

import io.netwatch.probe.capture.CaptureFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
