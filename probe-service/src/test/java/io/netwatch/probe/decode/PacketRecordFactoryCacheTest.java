package io.netwatch.probe.decode;

import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.capture.CaptureFileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caches of flow and MAC text change no record: every shared capture, cached, tiny-cached and uncached. */
class PacketRecordFactoryCacheTest {

    @Test
    void everyCaptureGivesTheSameKeysAndRecordsWithAndWithoutTheTextCaches() throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory plain = PacketRecordFactory.uncached("p", "file", 64);
        PacketRecordFactory cached = new PacketRecordFactory("p", "file", 64);
        // one slot each: every other flow or address overwrites it, so the mismatch path runs all the time
        PacketRecordFactory tiny = new PacketRecordFactory("p", "file", 64, PacketRecordFactory.CLEARTEXT_PORTS, 1, 1);
        AtomicLong packets = new AtomicLong();
        AtomicLong withCommunityId = new AtomicLong();
        for (Path file : SharedPcaps.all()) {
            String rel = SharedPcaps.root().relativize(file).toString();
            try (CaptureFileReader reader = CaptureFileReader.open(file)) {
                reader.readAll((ts, lt, buf, off, cap, wire) -> {
                    decoder.decode(lt, buf, off, cap, wire, f);
                    String id = "id-" + packets.incrementAndGet();
                    PacketRecordFactory.Keyed want = plain.build(id, ts, f, buf);
                    assertEquals(want, cached.build(id, ts, f, buf), rel + " packet " + id);
                    assertEquals(want, tiny.build(id, ts, f, buf), rel + " packet " + id + ", one slot");
                    if (want.record().communityId() != null) {
                        withCommunityId.incrementAndGet();
                    }
                });
            }
        }
        assertTrue(packets.get() > 100_000, "the shared captures hold over 100,000 packets: " + packets);
        assertTrue(withCommunityId.get() > packets.get() / 2, "most packets have a Community ID: " + withCommunityId);
    }

    @Test
    void aFlowsSecondPacketReusesTheTextAndTheOtherDirectionGetsItsOwn() {
        FlowTextCache cache = new FlowTextCache(64);
        byte[] a = {(byte) 128, (byte) 232, 110, 120};
        byte[] b = {66, 35, (byte) 250, (byte) 204};
        FlowTextCache.FlowText first = cache.of(6, 0, a, b, 4, 34855, 80, 34855, 80, true);
        assertEquals("128.232.110.120", first.srcIp());
        assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", first.communityId(), "shared/community-id-vectors.tsv, first line");
        assertSame(first, cache.of(6, 0, a, b, 4, 34855, 80, 34855, 80, true));
        FlowTextCache.FlowText back = cache.of(6, 0, b, a, 4, 80, 34855, 80, 34855, true);
        assertNotSame(first, back);
        assertEquals("66.35.250.204", back.srcIp());
        assertEquals(first.key(), back.key(), "one flow key for both directions");
        assertEquals(first.communityId(), back.communityId());
        assertNotSame(first, cache.of(6, 0, a, b, 4, 34855, 80, 34855, 80, false), "without a Community ID");
        assertNotSame(first, cache.of(17, 0, a, b, 4, 34855, 80, 34855, 80, true), "another protocol");
        assertNotSame(first, cache.of(6, 7, a, b, 4, 34855, 80, 34855, 80, true), "another VLAN");
    }
}
