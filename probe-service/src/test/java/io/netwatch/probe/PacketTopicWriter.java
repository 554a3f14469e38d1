package io.netwatch.probe;

import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Writes packet records to a packets topic as the probe does (keyed by flow, markers to every partition, event
 * time as the record timestamp), and waits for a stream application to have consumed them: what restart tests of
 * the stream services need.
 */
public final class PacketTopicWriter {
    private PacketTopicWriter() {
    }

    public static void send(String bootstrap, String topic, int partitions, List<PacketRecordFactory.Keyed> packets) {
        List<ProducerRecord<String, PacketRecord>> records = new ArrayList<>();
        for (PacketRecordFactory.Keyed k : packets) {
            long ts = k.record().ts() / 1000;
            if (k.record().hasMarker()) {
                for (int partition = 0; partition < partitions; partition++) {
                    records.add(new ProducerRecord<>(topic, partition, ts, k.key(), k.record()));
                }
            } else {
                records.add(new ProducerRecord<>(topic, null, ts, k.key(), k.record()));
            }
        }
        send(bootstrap, Topics.PACKETS.valueSerde().serializer(), records);
    }

    /** Writes records (a probe's flow updates, say) as they are given, every one of them acknowledged. */
    public static <V> void send(String bootstrap, Serializer<V> serializer, List<ProducerRecord<String, V>> records) {
        // One request in flight: a producer new to a broker that has just restarted can otherwise have its second
        // batch of a partition accepted before a retry of its first, which then fails for good as out of order
        // (the broker takes any first sequence number from a producer it does not know).
        try (KafkaProducer<String, V> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(),
                serializer)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, V> r : records) {
                sent.add(p.send(r));
            }
            p.flush();
            // a fault test's input must be all there: a record the producer gave up on fails the test here, not
            // later as a count the service got wrong
            for (Future<RecordMetadata> f : sent) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a record was not written", e.getCause());
                }
            }
        }
    }

    /** Waits until consumer group {@code group} has committed everything {@code topic} holds now. */
    public static void awaitCaughtUp(String bootstrap, String group, String topic, Duration timeout) throws Exception {
        long end;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            end = admin.listOffsets(req).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
        awaitConsumed(bootstrap, group, topic, end, timeout);
    }

    /** Waits until consumer group {@code group} has committed offsets for {@code count} records of {@code topic}. */
    public static void awaitConsumed(String bootstrap, String group, String topic, long count, Duration timeout)
            throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= count) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError(group + " did not consume " + count + " records of " + topic + " within " + timeout);
    }
}
