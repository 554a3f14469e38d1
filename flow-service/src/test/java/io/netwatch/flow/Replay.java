package io.netwatch.flow;

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
final class Replay {
    private Replay() {
    }

    static long capture(String bootstrap, Path file, String probeId) throws Exception {
        try (KafkaProducer<String, PacketRecord> producer = new KafkaProducer<>(
                ProducerSettings.packets(bootstrap, "test-" + probeId), new StringSerializer(),
                Topics.PACKETS.valueSerde().serializer());
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline pipeline = new PacketPipeline(producer, probeId + "-run",
                    new PacketRecordFactory(probeId, "file", 0), 1);
            reader.readAll(pipeline);
            pipeline.close();
            return pipeline.published.sum();
        }
    }
}
