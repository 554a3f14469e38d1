package io.netwatch.records;

/**
 * A stream application about to close: its processors then send at once what they would otherwise hold in memory
 * until a window ends (per-second tallies). Kafka Streams 4.1 commits a task before it closes its processors, so
 * what a processor forwards in {@code close()} goes out in a transaction that is aborted; what it forwards while
 * still processing is in the last commit. The service calls {@link #begin()} and waits one punctuation interval
 * ({@link #WAIT_MS}) before it closes its {@code KafkaStreams}.
 */
public final class StreamsDrain {
    /** Topologies that are never drained (TopologyTestDriver tests): nothing is sent early. */
    public static final StreamsDrain NONE = new StreamsDrain();

    /** Longer than the processors' one-second wall-clock punctuation, so each task has run one since begin(). */
    public static final long WAIT_MS = 1_500;

    private volatile boolean draining;

    public void begin() {
        if (this != NONE) {
            draining = true;
        }
    }

    /** Cheap enough to ask for every record. */
    public boolean draining() {
        return draining;
    }

    /** Begins, then waits for the processors' next wall-clock punctuation. */
    public void beginAndWait() throws InterruptedException {
        begin();
        Thread.sleep(WAIT_MS);
    }
}
