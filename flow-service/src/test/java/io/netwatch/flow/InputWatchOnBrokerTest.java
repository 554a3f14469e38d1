package io.netwatch.flow;

import io.netwatch.broker.RestartableBroker;
import io.netwatch.records.InputWatch;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InputWatch} against a real stream application's metrics (the names it reads are those Kafka 4.1's
 * clients report): quiet counts while the application is running and caught up, not while its broker is away,
 * and again from the moment the broker is back.
 */
class InputWatchOnBrokerTest {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final FlowTopology.Names names = new FlowTopology.Names("watch-" + run + ".packets",
            "watch-" + run + ".packet-batches", "watch-" + run + ".flows", "watch-" + run + ".metrics",
            "watch-" + run + ".tallies", "watch-" + run + ".flow-updates");

    @Test
    void quietCountsWhileCaughtUpAndNotWhileTheBrokerIsAway() throws Exception {
        try (RestartableBroker broker = RestartableBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(
                    new Topic<>(names.packets(), null, null, false, 0, 0),
                    new Topic<>(names.packetBatches(), null, null, false, 0, 0),
                    new Topic<>(names.flows(), null, null, false, 0, 0),
                    new Topic<>(names.metrics(), null, null, false, 0, 0),
                    new Topic<>(names.tallies(), null, null, false, 0, 0)));
            KafkaStreams streams = RestartableStreams.start(FlowTopology.build(FlowSettings.defaults(), true,
                    names), "watch-test-" + run, bootstrap);
            try {
                InputWatch input = new InputWatch(Duration.ofSeconds(5));
                input.watch(streams::metrics);
                long caughtUp = awaitWatch(input, from -> from != Long.MAX_VALUE, Duration.ofSeconds(30));
                assertTrue(caughtUp < System.currentTimeMillis(), "quiet counts once running and caught up");

                // the broker is away for 8 s: looked at from another thread, as the stream thread may be blocked
                Future<?> restart = Executors.newSingleThreadExecutor().submit(() -> {
                    broker.restart(Duration.ofSeconds(8));
                    return null;
                });
                awaitWatch(input, from -> from == Long.MAX_VALUE, Duration.ofSeconds(10));
                restart.get();
                long back = System.currentTimeMillis();
                long from = awaitWatch(input, f -> f != Long.MAX_VALUE, Duration.ofSeconds(60));
                assertTrue(from >= back, "quiet counts from the broker's return, not from before: " + (back - from));
            } finally {
                RestartableStreams.stop(streams);
            }
        }
    }

    /** Looks every 200 ms until {@code until} holds for what it returns; fails after {@code timeout}. */
    private static long awaitWatch(InputWatch input, LongPredicate until, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long from = input.quietCountsFrom(System.currentTimeMillis());
            if (until.test(from)) {
                return from;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the watch did not get there within " + timeout);
    }
}
