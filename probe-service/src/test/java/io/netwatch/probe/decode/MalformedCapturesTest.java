package io.netwatch.probe.decode;

import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.capture.CaptureFormatException;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every capture, malformed ones above all, goes through reading, decoding, record building and JSON intact. */
class MalformedCapturesTest {

    /** Packet counts per file from MANIFEST.tsv (tshark's count for every capture, not only REFERENCE.tsv's). */
    private static Map<String, Long> manifestCounts() throws Exception {
        List<String> lines = Files.readAllLines(SharedPcaps.root().resolve("MANIFEST.tsv"));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            counts.put(cells[0], Long.parseLong(cells[4]));
        }
        return counts;
    }

    @Test
    void everyCaptureIsReadDecodedAndSerializedWithoutAnEscapingException() throws Exception {
        Map<String, Long> manifest = manifestCounts();
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory("test-probe", "file", 64);
        long totalErrors = 0;
        for (Path file : SharedPcaps.all()) {
            String rel = SharedPcaps.root().relativize(file).toString();
            AtomicLong frames = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            try (CaptureFileReader reader = CaptureFileReader.open(file)) {
                reader.readAll((ts, lt, buf, off, cap, wire) -> {
                    decoder.decode(lt, buf, off, cap, wire, f);
                    byte[] frame = buf;
                    PacketRecordFactory.Keyed k = factory.build("id-" + frames.incrementAndGet(), ts, f, frame);
                    assertNotNull(k.key(), rel);
                    byte[] json = Topics.PACKETS.valueSerde().serializer().serialize("t", k.record());
                    PacketRecord back = Topics.PACKETS.valueSerde().deserializer().deserialize("t", json);
                    assertEquals(k.record(), back, rel + ": JSON round trip");
                    if (f.error != null) {
                        errors.incrementAndGet();
                    }
                });
            }
            totalErrors += errors.get();
            Long expected = manifest.get(rel);
            assertNotNull(expected, rel + " is not in MANIFEST.tsv");
            assertEquals(expected.longValue(), frames.get(), rel + ": frames read (tshark's count in MANIFEST.tsv)");
        }
        assertTrue(totalErrors > 20, "the malformed captures should be counted as decode errors, got " + totalErrors);
    }

    @Test
    void aFileThatIsNotACaptureGivesOneClearError() {
        Path notACapture = SharedPcaps.root().resolve("REFERENCE.tsv");
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureFileReader.open(notACapture));
        assertTrue(e.getMessage().contains("is not a pcap or pcapng file"), e.getMessage());
    }

    @Test
    void classicPcapNamedPcapngIsSniffedByItsMagic() throws Exception {
        try (CaptureFileReader r = CaptureFileReader.open(SharedPcaps.file("attacks/synflood-ecn-cwr.pcapng"))) {
            assertTrue(!r.isPcapng());
            assertEquals(9878, r.readAll((ts, lt, buf, off, cap, wire) -> { }));
        }
    }
}
