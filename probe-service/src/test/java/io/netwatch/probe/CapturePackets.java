package io.netwatch.probe;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.probe.publish.PartitionBatches;
import io.netwatch.records.PacketBatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A capture file as the probe would publish it: keyed packet records, in file order. */
public final class CapturePackets {
    public static final String PROBE = "probe-a";

    private CapturePackets() {
    }

    /** @param payloadHeadBytes as the probe's {@code payload-head-bytes}; 0 for none */
    public static List<PacketRecordFactory.Keyed> of(Path capture, int payloadHeadBytes) throws IOException {
        List<PacketRecordFactory.Keyed> out = new ArrayList<>();
        read(capture, payloadHeadBytes, null, null, out);
        return out;
    }

    /**
     * Packets in batches as the probe's pipeline forms them (per partition of {@code partitions}, at most
     * {@code perBatch} each), in the order the pipeline would send them.
     */
    public static List<PacketBatch> batches(List<PacketRecordFactory.Keyed> packets, int partitions, int perBatch) {
        List<PacketBatch> out = new ArrayList<>();
        PartitionBatches open = new PartitionBatches(partitions, perBatch, Long.MAX_VALUE);
        for (PacketRecordFactory.Keyed k : packets) {
            open.add(new PacketBatch.Entry(k.key(), k.record()), 0, (b, p) -> out.add(new PacketBatch(PROBE, b)));
        }
        open.closeAll((b, p) -> out.add(new PacketBatch(PROBE, b)));
        return out;
    }

    /** The capture's frames held for export as the probe holds them during a run, under {@code runId}. */
    public static void hold(Path capture, String runId, FrameRing ring) throws IOException {
        read(capture, 0, runId, ring, new ArrayList<>());
    }

    private static void read(Path capture, int payloadHeadBytes, String runId, FrameRing ring,
                             List<PacketRecordFactory.Keyed> out) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory(PROBE, "file", payloadHeadBytes);
        long[] n = {0};
        try (CaptureFileReader reader = CaptureFileReader.open(capture)) {
            reader.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                PacketRecordFactory.Keyed k = factory.build("run:" + (++n[0]), ts, f, buf);
                if (ring != null) {
                    ring.add(runId, ts, lt, buf, off, cap, wire, k.record());
                } else {
                    out.add(k);
                }
            });
        }
    }
}
