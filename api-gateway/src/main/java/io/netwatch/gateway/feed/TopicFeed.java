package io.netwatch.gateway.feed;

import io.netwatch.records.Topic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

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
        FROM_START,
        /**
         * A throwaway group from now on that reads only the newest records, once per {@link Tail#refresh}: a view
         * that keeps a bounded tail (recent packets) costs what it keeps, not what the topic carries.
         */
        TAIL
    }

    /**
     * How a {@link Mode#TAIL} feed stays at the newest records: once per {@code refresh} it jumps, in each
     * partition further behind its end than its share of {@code keep(topic)} records, to that share before the
     * end, and reads at most that much. What it jumps over is counted as passed over.
     */
    public record Tail(Duration refresh, ToIntFunction<String> keep) {
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
    private final AtomicLong passedOver = new AtomicLong();
    private final Tail tail;
    private volatile boolean running = true;
    private volatile Long failingSince;
    private volatile String lastError;
    private volatile int partitions;

    public TopicFeed(String name, String bootstrapServers, String groupId, Mode mode, List<String> topics,
                     BatchHandler handler) {
        this(name, bootstrapServers, groupId, mode, topics, handler, null, null);
    }

    /** A {@link Mode#TAIL} feed. */
    public TopicFeed(String name, String bootstrapServers, String groupId, List<String> topics, Tail tail,
                     BatchHandler handler) {
        this(name, bootstrapServers, groupId, Mode.TAIL, topics, handler, null, tail);
    }

    /** @param sessionTimeout of the consumer-group membership (a durable feed's failover time); null: Kafka's */
    public TopicFeed(String name, String bootstrapServers, String groupId, Mode mode, List<String> topics,
                     BatchHandler handler, Duration sessionTimeout) {
        this(name, bootstrapServers, groupId, mode, topics, handler, sessionTimeout, null);
    }

    private TopicFeed(String name, String bootstrapServers, String groupId, Mode mode, List<String> topics,
                      BatchHandler handler, Duration sessionTimeout, Tail tail) {
        if ((mode == Mode.TAIL) != (tail != null)) {
            throw new IllegalArgumentException("a tail feed, and only a tail feed, needs its Tail settings");
        }
        this.name = name;
        this.tail = tail;
        this.topics = topics;
        this.handler = handler;
        this.commit = mode == Mode.DURABLE;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, commit ? groupId : groupId + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, mode == Mode.FROM_START ? "earliest" : "latest");
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
                lastError, retries.get(), passedOver.get());
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (running && tail != null) {
                readTail();
            }
            while (running) {
                ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(250));
                partitions = consumer.assignment().size();
                if (polled.isEmpty()) {
                    continue;
                }
                handle(polled);
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

    /** One refresh of a tail feed: jump ahead where far behind, read up to what it keeps, then wait. */
    private void readTail() {
        long due = System.currentTimeMillis() + tail.refresh().toMillis();
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.resume(assigned);
        long budget = jumpAhead(assigned);
        long read = 0;
        // the first poll also joins the group and is given its partitions; the budget is known only after it
        while (running && (read < budget || (assigned.isEmpty() && read == 0))) {
            ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(read == 0 ? 250 : 20));
            partitions = consumer.assignment().size();
            if (polled.isEmpty()) {
                break;
            }
            handle(polled);
            read += polled.count();
        }
        // paused, the consumer neither fetches what the next refresh would jump over nor leaves its group
        consumer.pause(consumer.assignment());
        long rest = due - System.currentTimeMillis();
        if (running && rest > 0) {
            ConsumerRecords<String, byte[]> early = consumer.poll(Duration.ofMillis(rest));
            if (!early.isEmpty()) {
                handle(early); // partitions a rebalance assigned meanwhile are not paused yet
            }
        }
    }

    /** Hands what a poll returned to the handler until it takes it, and counts it. */
    private void handle(ConsumerRecords<String, byte[]> polled) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(polled.count());
        polled.forEach(batch::add);
        handleUntilDone(batch);
        records.addAndGet(batch.size());
    }

    /** Moves each partition to its share of what the feed keeps before its end; returns how much that is in all. */
    private long jumpAhead(Set<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return 0;
        }
        Map<String, Integer> partitionsOf = new HashMap<>();
        assigned.forEach(tp -> partitionsOf.merge(tp.topic(), 1, Integer::sum));
        long budget = 0;
        try {
            // with read_committed, the end is the last stable offset: nothing that could still be aborted
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                TopicPartition tp = e.getKey();
                int n = partitionsOf.get(tp.topic());
                long share = Math.max(1, (tail.keep().applyAsInt(tp.topic()) + n - 1) / n);
                budget += share;
                long position = consumer.position(tp, Duration.ofSeconds(5));
                if (e.getValue() - position > share) {
                    consumer.seek(tp, e.getValue() - share);
                    passedOver.addAndGet(e.getValue() - share - position);
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debugf("feed %s: no end offsets this refresh (%s), reading on", name, e.getMessage());
            budget = Math.max(budget, 1);
        }
        return budget;
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
