package io.netwatch.bench;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.file.Path;

/** A capture's frames as the probe publishes them on {@code netwatch.packets.v1}: decoded, keyed, as JSON. */
final class CaptureJson {
    interface RecordSink {
        void accept(String key, byte[] json);
    }

    private CaptureJson() {
    }

    /** Hands every frame's packet record to the sink; returns how many frames were read. */
    static long readAll(Path file, RecordSink sink) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory("bench", "file", 96);
        Serializer<PacketRecord> json = Topics.PACKETS.valueSerde().serializer();
        long[] seq = {0};
        try (CaptureFileReader r = CaptureFileReader.open(file)) {
            return r.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                PacketRecordFactory.Keyed k = factory.build("bench:" + (++seq[0]), ts, f, buf);
                sink.accept(k.key(), json.serialize("t", k.record()));
            });
        }
    }
}
