package io.netwatch.gateway.feed;

import io.netwatch.records.Topic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer thread that hands batches of records to a {@link BatchHandler}. A handler that fails (a database
 * down) gets the same batch again with exponential backoff while the consumer is paused, and offsets are committed
 * only after the handler succeeded: a sink loses nothing, and since every write is an upsert, re-delivery after a
 * crash duplicates nothing.
 */
public final class TopicFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicFeed.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    /** Handles one batch; throwing means "try this batch again later". */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<ConsumerRecord<String, byte[]>> batch) throws Exception;
    }

    /** Where a feed starts and whether it remembers its position. */
    public enum Mode {
        /** A consumer group that commits after each handled batch: sinks. */
        DURABLE,
        /** A throwaway group from the end of the topics: live views of what happens from now on. */
        FROM_NOW,
        /** A throwaway group from the start: compacted topics read as tables (probe status, intel). */
        FROM_START
    }

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final BatchHandler handler;
    private final boolean commit;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean running = true;
    private volatile Long failingSince;
    private volatile String lastError;
    private volatile int partitions;

    public TopicFeed(String name, String bootstrapServers, String groupId, Mode mode, List<String> topics,
                     BatchHandler handler) {
        this(name, bootstrapServers, groupId, mode, topics, handler, null);
    }

    /** @param sessionTimeout of the consumer-group membership (a durable feed's failover time); null: Kafka's */
    public TopicFeed(String name, String bootstrapServers, String groupId, Mode mode, List<String> topics,
                     BatchHandler handler, Duration sessionTimeout) {
        this.name = name;
        this.topics = topics;
        this.handler = handler;
        this.commit = mode == Mode.DURABLE;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, commit ? groupId : groupId + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, mode == Mode.FROM_NOW ? "latest" : "earliest");
        // Only what the producers committed: an aborted exactly-once batch of a stream service is never shown.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netwatch-gateway-" + name);
        if (sessionTimeout != null) {
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                    String.valueOf(Math.max(1, sessionTimeout.toMillis() / 3)));
        }
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "feed-" + name);
        this.thread.setDaemon(true);
    }

    public TopicFeed start() {
        thread.start();
        return this;
    }

    /**
     * The record's value as the topic's type, or null for a tombstone or a record that is not valid for the topic:
     * that one is counted and skipped, so one malformed record never stops a feed.
     */
    public <V> V read(Topic<?, V> topic, ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            if (skipped.incrementAndGet() % 1000 == 1) {
                LOG.warnf("feed %s: skipping a record it cannot read (%s-%d@%d): %s", name, record.topic(),
                        record.partition(), record.offset(), e.getMessage());
            }
            return null;
        }
    }

    /** Counts records a sink had to give up on (a server rejected them as malformed). */
    public void skip(long n) {
        skipped.addAndGet(n);
    }

    public FeedState state() {
        return new FeedState(name, failingSince == null, partitions, records.get(), skipped.get(), failingSince,
                lastError, retries.get());
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(250));
                partitions = consumer.assignment().size();
                if (polled.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(polled.count());
                polled.forEach(batch::add);
                handleUntilDone(batch);
                records.addAndGet(batch.size());
                if (commit && running) {
                    try {
                        consumer.commitSync();
                    } catch (CommitFailedException e) {
                        // a rebalance took the partitions: their new owner re-reads, and the upserts absorb it
                        LOG.debugf("feed %s: commit after a rebalance failed: %s", name, e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "feed %s stopped", name);
            failingSince = System.currentTimeMillis();
            lastError = "stopped: " + e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handleUntilDone(List<ConsumerRecord<String, byte[]>> batch) {
        long backoff = 250;
        boolean paused = false;
        while (running) {
            try {
                handler.handle(batch);
                if (failingSince != null) {
                    LOG.infof("feed %s: writing again after %d s", name,
                            (System.currentTimeMillis() - failingSince) / 1000);
                }
                failingSince = null;
                if (paused) {
                    consumer.resume(consumer.paused());
                }
                return;
            } catch (Exception e) {
                if (failingSince == null) {
                    failingSince = System.currentTimeMillis();
                    LOG.warnf("feed %s: cannot write, keeping %d records and retrying: %s", name, batch.size(), e);
                }
                lastError = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                retries.incrementAndGet();
                paused = true;
                waitPaused(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /**
     * Polls with every assigned partition paused, which keeps the group membership. Partitions a rebalance
     * assigned meanwhile are not paused yet: whatever they return is put back, or committing later would skip it.
     */
    private void waitPaused(long millis) {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> early = consumer.poll(Duration.ofMillis(millis));
        for (var partition : early.partitions()) {
            consumer.seek(partition, early.records(partition).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
