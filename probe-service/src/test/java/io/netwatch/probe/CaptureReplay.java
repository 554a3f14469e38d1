package io.netwatch.probe;

import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.publish.PacketFormat;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.probe.publish.ProducerSettings;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Path;

/**
 * Replays a capture into the real broker through the probe's own pipeline, end-of-run markers included; in
 * batches unless a format is given, so the services' own tests read netwatch.packet-batches.v1 from a real broker
 * (their fault tests write netwatch.packets.v1, one record per packet).
 */
public final class CaptureReplay {
    private CaptureReplay() {
    }

    /** @param payloadHeadBytes as the probe's setting; detections read cleartext payloads through it */
    public static long capture(String bootstrap, Path file, String probeId, int payloadHeadBytes) throws Exception {
        return capture(bootstrap, file, probeId, payloadHeadBytes, PacketFormat.BATCHES);
    }

    public static long capture(String bootstrap, Path file, String probeId, int payloadHeadBytes, PacketFormat format)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "test-" + probeId);
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline pipeline = new PacketPipeline(producer, probeId + "-run",
                    new PacketRecordFactory(probeId, "file", payloadHeadBytes), 1, format);
            reader.readAll(pipeline);
            pipeline.close();
            return pipeline.published.sum();
        }
    }
}
