package io.netwatch.probe.publish;

import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which packets of a run are already on the packet topic, read back from it when an interrupted replay resumes.
 *
 * <p>The probe's producer is idempotent and the packets of one lane (one encoder thread) reach a partition in
 * the order they were read. So a partition holds, of each lane, exactly the packets up to the highest sequence
 * number found there: what a killed probe had in flight is missing from the end, never from the middle, and a
 * packet is published iff its sequence number is at most its partition's and lane's highest.
 */
public final class PublishedPackets {
    private final int lanes;
    private final int partitions;
    private final Map<Long, Long> highest = new HashMap<>();
    private long maxSeq;
    private long count;
    private boolean ended;

    private PublishedPackets(int lanes, int partitions) {
        this.lanes = lanes;
        this.partitions = partitions;
    }

    /** Whether the packet with this key and sequence number was published before. */
    public boolean contains(String key, long seq) {
        Long top = highest.get(slot(PartitionBatches.partitionOf(key, partitions), PacketPipeline.lane(key, lanes)));
        return top != null && seq <= top;
    }

    /** The highest sequence number published: every packet after it is new. */
    public long maxSeq() {
        return maxSeq;
    }

    /** Packets of the run found on the topic. */
    public long count() {
        return count;
    }

    /** Whether the run's end-of-run markers are there: it had finished. */
    public boolean ended() {
        return ended;
    }

    private static long slot(int partition, int lane) {
        return ((long) partition << 32) | lane;
    }

    private void add(int partition, String key, PacketRecord p, String prefix) {
        if (p == null || p.id() == null || !p.id().startsWith(prefix)) {
            return;
        }
        if (p.hasMarker()) {
            ended = true;
            return;
        }
        long seq = Long.parseLong(p.id().substring(prefix.length()));
        highest.merge(slot(partition, PacketPipeline.lane(key, lanes)), seq, Math::max);
        maxSeq = Math.max(maxSeq, seq);
        count++;
    }

    /**
     * Reads the topic from the run's start offsets to its current end.
     *
     * @param startOffsets each partition's end offset before the run began
     */
    public static PublishedPackets scan(String bootstrap, PacketFormat format, String runId, int lanes,
                                        Map<Integer, Long> startOffsets) {
        String prefix = runId + ":";
        Deserializer<PacketRecord> packets = Topics.PACKETS.valueSerde().deserializer();
        Deserializer<PacketBatch> batches = Topics.PACKET_BATCHES.valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(format.topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            PublishedPackets found = new PublishedPackets(lanes, parts.size());
            c.assign(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, startOffsets.getOrDefault(tp.partition(), 0L));
            }
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (format == PacketFormat.PACKETS) {
                        found.add(r.partition(), r.key(), packets.deserialize(r.topic(), r.value()), prefix);
                    } else {
                        for (PacketBatch.Entry e : batches.deserialize(r.topic(), r.value()).packets()) {
                            found.add(r.partition(), e.key(), e.packet(), prefix);
                        }
                    }
                }
            }
            return found;
        }
    }

    /** Each partition's end offset now: where the records of a run that starts now begin. */
    public static Map<Integer, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(PartitionInfo::partition)
                    .map(p -> new TopicPartition(topic, p)).toList();
            Map<Integer, Long> out = new HashMap<>();
            c.endOffsets(parts).forEach((tp, offset) -> out.put(tp.partition(), offset));
            return out;
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a long run's first records may be gone with retention: start at the oldest still there (their
                // lane's highest number covers the deleted ones)
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
