package io.netwatch.probe;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;

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
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory(PROBE, "file", payloadHeadBytes);
        List<PacketRecordFactory.Keyed> out = new ArrayList<>();
        long[] n = {0};
        try (CaptureFileReader reader = CaptureFileReader.open(capture)) {
            reader.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                out.add(factory.build("run:" + (++n[0]), ts, f, buf));
            });
        }
        return out;
    }
}
