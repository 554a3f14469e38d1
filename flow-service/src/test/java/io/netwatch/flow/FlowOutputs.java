package io.netwatch.flow;

import io.netwatch.records.Topic;
import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** What a flow topology on the real broker published, read as the restart tests check it. */
final class FlowOutputs {
    private FlowOutputs() {
    }

    /**
     * Reads a topic (committed records only) until what came is {@code done} or 60 s passed, then for 3 s more:
     * anything that would come twice.
     */
    static <V> List<V> read(String bootstrap, String group, String topic, Topic<String, V> type,
                            Predicate<List<V>> done) {
        List<V> out = new ArrayList<>();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(cfg, new StringDeserializer(),
                type.valueSerde().deserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (settleUntil == Long.MAX_VALUE && done.test(out)) {
                    settleUntil = System.currentTimeMillis() + 3000;
                }
            }
        }
        return out;
    }

    /** Packets over the minute windows, each window as last published. */
    static long minutePackets(List<TrafficMetrics> metrics) {
        Map<Long, Long> minutes = new TreeMap<>();
        for (TrafficMetrics m : metrics) {
            if (m.resolution().equals(TrafficMetrics.MINUTE)) {
                minutes.put(m.windowStart(), m.packets());
            }
        }
        return minutes.values().stream().mapToLong(Long::longValue).sum();
    }
}
