package io.netwatch.gateway.feed;

import io.netwatch.broker.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tail feed on the real broker: below what it keeps per refresh it reads every record, like any live feed;
 * when a burst outruns it, it reads the newest records, passes over the rest, and accounts for each one.
 */
class TailFeedTest {
    private static final int KEEP = 300;
    private static final int PARTITIONS = 3;

    @Test
    void aTailReadsEveryRecordWhileTrafficFitsAndOnlyTheNewestWhenItDoesNot() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        String topic = "tail-feed-test";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        Map<Integer, Long> newestRead = new ConcurrentHashMap<>();
        List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
        TopicFeed feed = new TopicFeed("tail-test", bootstrap, "tail-test", List.of(topic),
                new TopicFeed.Tail(Duration.ofMillis(500), t -> KEEP), batch -> batch.forEach(r -> {
                    read.add(new String(r.value(), StandardCharsets.UTF_8));
                    newestRead.merge(r.partition(), r.offset(), Math::max);
                })).start();
        try (feed; KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            await(() -> feed.state().partitions() == PARTITIONS, "the feed's partitions");

            // a trickle: fewer than it keeps per refresh, so every record is read and nothing passed over
            send(producer, topic, "slow", 120);
            await(() -> read.size() == 120, "the 120 records of the trickle");
            assertEquals(0, feed.state().passedOver());

            // a burst of 20,000 in well under a refresh: the newest of each partition are read, the rest passed over
            Map<Integer, Long> last = send(producer, topic, "burst", 20_000);
            await(() -> feed.state().records() + feed.state().passedOver() == 20_120,
                    "every record of the burst read or passed over");
            long burstRead = feed.state().records() - 120;
            assertTrue(feed.state().passedOver() > 0, "nothing passed over: " + feed.state());
            assertTrue(burstRead < 20_000 / 2, "the tail read " + burstRead + " of 20,000");
            assertEquals(last, new HashMap<>(newestRead), "the newest record of each partition was read");
            assertTrue(read.contains("burst-19999"), "the last record sent was read");
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends n records and returns the offset of the last one in each partition. */
    private static Map<Integer, Long> send(KafkaProducer<String, byte[]> producer, String topic, String prefix,
                                           int n) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, prefix + i,
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        Map<Integer, Long> last = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get();
            last.merge(m.partition(), m.offset(), Math::max);
        }
        return last;
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
