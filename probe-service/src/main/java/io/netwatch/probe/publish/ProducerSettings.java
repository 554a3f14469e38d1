package io.netwatch.probe.publish;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Producer settings for a high packet rate: large lz4-compressed batches with a short linger, idempotence on, so a
 * retried batch is never written twice.
 */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    /** The default linger: {@code netwatch.probe.publish-linger}'s default. */
    public static final Duration LINGER = Duration.ofMillis(50);

    public static Map<String, Object> packets(String bootstrapServers, String clientId, Duration linger) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return p;
    }

    /** The producer a {@link PacketPipeline} sends through: it encodes its records itself. */
    public static KafkaProducer<String, byte[]> packetProducer(String bootstrapServers, String clientId) {
        return packetProducer(bootstrapServers, clientId, LINGER);
    }

    public static KafkaProducer<String, byte[]> packetProducer(String bootstrapServers, String clientId,
                                                               Duration linger) {
        return new KafkaProducer<>(packets(bootstrapServers, clientId, linger), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Small, rare records (status): no batching delay. */
    public static Map<String, Object> control(String bootstrapServers, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }
}
