package io.netwatch.records;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service needs when they do not exist yet, with the partitioning and retention of
 * docs/topics.md. Kafka Streams applications need their input topics to exist before they start.
 */
public final class TopicSetup {
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    /**
     * The topic-level configuration netwatch creates a topic with; the Strimzi KafkaTopic resources in k8s/ are
     * checked against it.
     */
    public static Map<String, String> configs(Topic<?, ?> t) {
        Map<String, String> cfg = new HashMap<>();
        if (t.compacted()) {
            cfg.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            // Records carry event time (a replayed capture may be years old) in their value; retention must
            // count from their arrival, or the broker deletes a replay as soon as it is written.
            cfg.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            if (t.retentionMs() > 0) {
                cfg.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(t.retentionMs()));
            }
        }
        return cfg;
    }

    public static void ensure(String bootstrapServers, int partitions, short replication, List<Topic<?, ?>> topics)
            throws InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            List<NewTopic> wanted = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                Map<String, String> cfg = configs(t);
                int n = t.partitions() > 0 ? t.partitions() : partitions;
                wanted.add(new NewTopic(t.name(), n, replication).configs(cfg));
            }
            Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(wanted).values();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> r : results.entrySet()) {
                try {
                    r.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + r.getKey() + " on " + bootstrapServers
                                + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the Kafka broker at " + bootstrapServers
                            + " did not answer within 30 s while creating " + r.getKey(), e);
                }
            }
            // A Kafka Streams application whose input topic the broker does not serve yet stops at once.
            describe(admin, bootstrapServers, topics.stream().map(Topic::name).toList());
        }
    }

    /** How many partitions each of {@code topics} has (they must exist). */
    public static Map<String, Integer> partitions(String bootstrapServers, List<String> topics)
            throws InterruptedException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<String, Integer> out = new HashMap<>();
            describe(admin, bootstrapServers, topics).forEach((name, d) -> out.put(name, d.partitions().size()));
            return out;
        }
    }

    /**
     * Describes topics that exist, asking again while the broker does not know one yet: a topic just created (by
     * this service or by another one starting beside it) is known to the controller before the broker's metadata
     * has it, and for that moment the broker answers that it does not host it.
     */
    private static Map<String, TopicDescription> describe(Admin admin, String bootstrapServers, List<String> topics)
            throws InterruptedException {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot describe " + topics + " on " + bootstrapServers + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the Kafka broker at " + bootstrapServers
                        + " did not answer within 30 s while describing " + topics, e);
            }
        }
    }

    private static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(p);
    }
}
