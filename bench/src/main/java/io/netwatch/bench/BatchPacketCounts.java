package io.netwatch.bench;

import io.netwatch.records.PacketBatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * Turns offsets of netwatch.packet-batches.v1 into packets: it follows the topic and keeps, per partition, how
 * many packets came before each batch (from the batch's {@code netwatch.packets} header, without parsing JSON).
 * So a consumer's committed offset on the batch topic reads as the packets it has processed.
 */
final class BatchPacketCounts implements AutoCloseable {
    private final String topic;
    /** partition -> batch offset -> packets in the partition before that batch. */
    private final Map<Integer, NavigableMap<Long, Long>> before = new ConcurrentHashMap<>();
    /** partition -> [next offset, packets before it]. */
    private final Map<Integer, long[]> counted = new ConcurrentHashMap<>();
    private final Thread thread;
    private final String bootstrap;
    private volatile boolean running = true;

    BatchPacketCounts(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.thread = new Thread(this::run, "batch-packet-counts");
        this.thread.setDaemon(true);
    }

    BatchPacketCounts start() {
        thread.start();
        return this;
    }

    /** Packets in the partition before {@code offset}; beyond what has been read, the latest average per batch. */
    long packetsBefore(int partition, long offset) {
        long[] c = counted.get(partition);
        if (c == null || offset <= 0) {
            return 0;
        }
        if (offset >= c[0]) {
            double perBatch = c[0] == 0 ? 0 : c[1] / (double) c[0];
            return c[1] + Math.round((offset - c[0]) * perBatch);
        }
        Map.Entry<Long, Long> e = before.get(partition).ceilingEntry(offset);
        return e == null ? c[1] : e.getValue();
    }

    /** Waits (up to a time limit) until the counts reach the given end offsets. */
    void awaitCounted(Map<TopicPartition, Long> ends, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && ends.entrySet().stream().anyMatch(e -> {
            long[] c = counted.get(e.getKey().partition());
            return e.getValue() > 0 && (c == null || c[0] < e.getValue());
        })) {
            Thread.sleep(20);
        }
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    long[] n = counted.computeIfAbsent(r.partition(), p -> new long[2]);
                    before.computeIfAbsent(r.partition(), p -> new ConcurrentSkipListMap<>()).put(r.offset(), n[1]);
                    Header h = r.headers().lastHeader(PacketBatch.COUNT_HEADER);
                    long packets = h == null ? 0 : Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
                    counted.put(r.partition(), new long[]{r.offset() + 1, n[1] + packets});
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
