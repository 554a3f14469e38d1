package io.netwatch.probe;

import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a topic from the beginning until enough matching records arrived or time ran out. Only committed records:
 * what an exactly-once writer aborted is not there for a reader either.
 */
public final class TopicReader {
    private TopicReader() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> read(String bootstrap, Topic<K, V> topic,
                                                        Predicate<ConsumerRecord<K, V>> match, int atLeast,
                                                        Duration timeout) {
        return read(bootstrap, topic, match, atLeast, timeout, "read_committed");
    }

    /**
     * Records of open (and aborted) transactions too: what a fault test waits for to strike while a stream
     * service has work in flight.
     */
    public static <K, V> List<ConsumerRecord<K, V>> readUncommitted(String bootstrap, Topic<K, V> topic,
                                                                   Predicate<ConsumerRecord<K, V>> match,
                                                                   int atLeast, Duration timeout) {
        return read(bootstrap, topic, match, atLeast, timeout, "read_uncommitted");
    }

    /**
     * The packets of {@code netwatch.packet-batches.v1}, one record per packet: each with its own key and the
     * partition, offset and timestamp of the batch that carried it.
     */
    public static List<ConsumerRecord<String, PacketRecord>> readPackets(String bootstrap,
                                                                         Predicate<ConsumerRecord<String, PacketRecord>> match,
                                                                         int atLeast, Duration timeout) {
        List<ConsumerRecord<String, PacketRecord>> out = new ArrayList<>();
        read(bootstrap, Topics.PACKET_BATCHES, b -> {
            for (PacketBatch.Entry e : b.value().packets()) {
                ConsumerRecord<String, PacketRecord> r = new ConsumerRecord<>(b.topic(), b.partition(), b.offset(),
                        b.timestamp(), b.timestampType(), -1, -1, e.key(), e.packet(), b.headers(),
                        b.leaderEpoch());
                if (match.test(r)) {
                    out.add(r);
                }
            }
            return false;
        }, Integer.MAX_VALUE, timeout, "read_committed", () -> out.size() >= atLeast);
        return out;
    }

    private static <K, V> List<ConsumerRecord<K, V>> read(String bootstrap, Topic<K, V> topic,
                                                         Predicate<ConsumerRecord<K, V>> match, int atLeast,
                                                         Duration timeout, String isolation) {
        return read(bootstrap, topic, match, atLeast, timeout, isolation, () -> false);
    }

    private static <K, V> List<ConsumerRecord<K, V>> read(String bootstrap, Topic<K, V> topic,
                                                         Predicate<ConsumerRecord<K, V>> match, int atLeast,
                                                         Duration timeout, String isolation, BooleanSupplier enough) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            c.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && !enough.getAsBoolean() && System.nanoTime() < deadline) {
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
                    if (match.test(r)) {
                        out.add(r);
                    }
                }
            }
            // a little longer, so that a test expecting exactly N sees an N+1st record too
            long settle = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(100))) {
                    if (match.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
