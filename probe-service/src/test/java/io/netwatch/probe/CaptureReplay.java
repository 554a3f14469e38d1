package io.netwatch.probe;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.probe.publish.ProducerSettings;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;

/** Replays a capture into the real broker through the probe's own pipeline, end-of-run markers included. */
public final class CaptureReplay {
    private CaptureReplay() {
    }

    /** @param payloadHeadBytes as the probe's setting; detections read cleartext payloads through it */
    public static long capture(String bootstrap, Path file, String probeId, int payloadHeadBytes) throws Exception {
        try (KafkaProducer<String, PacketRecord> producer = new KafkaProducer<>(
                ProducerSettings.packets(bootstrap, "test-" + probeId), new StringSerializer(),
                Topics.PACKETS.valueSerde().serializer());
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline pipeline = new PacketPipeline(producer, probeId + "-run",
                    new PacketRecordFactory(probeId, "file", payloadHeadBytes), 1);
            reader.readAll(pipeline);
            pipeline.close();
            return pipeline.published.sum();
        }
    }
}
