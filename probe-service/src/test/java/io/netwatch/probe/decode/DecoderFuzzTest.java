package io.netwatch.probe.decode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.capture.LinkType;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of what the probe does with bytes from the wire or a file: any frame under any
 * link type decodes, becomes a record and survives its JSON round trip; any file is read as a capture or refused
 * with an IOException. A RuntimeException, a hang or an OutOfMemoryError is a finding.
 *
 * <p>In the normal test run the fuzz tests replay their seeds (src/test/resources/.../DecoderFuzzTestInputs) and
 * every malformed capture of the shared corpus goes through the same targets; {@code ./netwatch fuzz} fuzzes for
 * a fixed time (docs/reliability.md).
 */
class DecoderFuzzTest {
    private static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW,
            LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP, LinkType.PPP, LinkType.RAW_DLT12, 147};
    private static final FrameDecoder DECODER = new FrameDecoder();
    private static final DecodedFrame FRAME = new DecodedFrame();
    private static final PacketRecordFactory FACTORY = new PacketRecordFactory("fuzz", "fuzz", 96);
    private static Path scratch;

    @FuzzTest(maxDuration = "5m")
    void anyFrameDecodesAndSurvivesItsJsonRoundTrip(FuzzedDataProvider data) {
        int linkType = data.pickValue(LINK_TYPES);
        long ts = data.consumeLong(0, 4_102_444_800_000_000_000L);
        int wireLen = data.consumeInt(0, 262_144);
        byte[] frame = data.consumeRemainingAsBytes();
        decodeAndRoundTrip(linkType, ts, frame, 0, frame.length, Math.max(wireLen, frame.length));
    }

    @FuzzTest(maxDuration = "5m")
    void anyFileIsReadAsACaptureOrRefused(byte[] file) throws IOException {
        if (scratch == null) {
            scratch = Files.createTempFile("fuzz", ".pcap");
            scratch.toFile().deleteOnExit();
        }
        Files.write(scratch, file);
        readAll(scratch);
    }

    /** The corpus the fuzz targets must survive in every run: every malformed capture, frame by frame. */
    @Test
    void everyMalformedCaptureGoesThroughBothTargets() throws IOException {
        List<Path> malformed = SharedPcaps.all().stream()
                .filter(p -> p.getParent().getFileName().toString().equals("malformed")).toList();
        assertTrue(malformed.size() >= 30, malformed.size() + " malformed captures");
        long frames = 0;
        for (Path p : malformed) {
            frames += readAll(p);
        }
        assertTrue(frames > 100, frames + " frames");
    }

    private static long readAll(Path file) throws IOException {
        try (CaptureFileReader reader = CaptureFileReader.open(file)) {
            long[] n = {0};
            reader.readAll((ts, lt, buf, off, cap, wire) -> {
                decodeAndRoundTrip(lt, ts, buf, off, cap, wire);
                n[0]++;
            });
            return n[0];
        } catch (IOException e) {
            return 0; // refused with a message: what a bad file should get
        }
    }

    private static void decodeAndRoundTrip(int linkType, long ts, byte[] buf, int off, int capLen, int wireLen) {
        DECODER.decode(linkType, buf, off, capLen, wireLen, FRAME);
        PacketRecord r = FACTORY.build("fuzz:1", ts, FRAME, buf).record();
        byte[] json = Topics.PACKETS.valueSerde().serializer().serialize("t", r);
        assertEquals(r, Topics.PACKETS.valueSerde().deserializer().deserialize("t", json), "JSON round trip");
    }
}
