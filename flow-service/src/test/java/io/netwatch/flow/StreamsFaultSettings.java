package io.netwatch.flow;

import java.util.HashMap;
import java.util.Map;

/** Kafka Streams settings (as {@code kafka-streams.*} properties of a packaged service) for the kill tests. */
public final class StreamsFaultSettings {
    /** A killed instance's group membership lapses after 6 s instead of 45, so its successor takes over soon. */
    public static final Map<String, String> QUICK_TAKEOVER = Map.of("kafka-streams.consumer.session.timeout.ms",
            "6000", "kafka-streams.consumer.heartbeat.interval.ms", "2000");

    /**
     * No commit for a minute and no state cache: every state change and output goes out at once, inside the open
     * transaction, so a kill leaves work done but not committed. Without exactly-once it would stay, and the
     * restarted instance would count the same packets again.
     */
    public static final Map<String, String> WORK_LEFT_UNCOMMITTED = Map.of(
            "kafka-streams.commit.interval.ms", "60000", "kafka-streams.producer.transaction.timeout.ms", "90000",
            "kafka-streams.statestore.cache.max.bytes", "0");

    /** The instance a kill test strikes: {@link #WORK_LEFT_UNCOMMITTED}, and {@link #QUICK_TAKEOVER} after it. */
    public static final Map<String, String> TO_BE_KILLED = quickTakeoverWith(WORK_LEFT_UNCOMMITTED);

    private StreamsFaultSettings() {
    }

    /** {@link #QUICK_TAKEOVER} with {@code more} on top. */
    public static Map<String, String> quickTakeoverWith(Map<String, String> more) {
        Map<String, String> props = new HashMap<>(QUICK_TAKEOVER);
        props.putAll(more);
        return Map.copyOf(props);
    }
}
