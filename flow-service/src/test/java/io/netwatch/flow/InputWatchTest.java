package io.netwatch.flow;

import io.netwatch.records.InputWatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InputWatchTest {
    private static final long ALWAYS = Long.MIN_VALUE;
    private static final long NOT_NOW = Long.MAX_VALUE;
    private final StreamsMetricsSample metrics = new StreamsMetricsSample();
    private final InputWatch input = new InputWatch(Duration.ofSeconds(7));

    @Test
    void quietDoesNotCountWithoutTheBrokerAndCountsFromItsReturn() {
        assertEquals(ALWAYS, input.quietCountsFrom(1_000), "not watching yet");
        input.watch(metrics::all);
        assertEquals(ALWAYS, input.quietCountsFrom(1_000), "in touch since before it looked");

        metrics.connections(0);
        assertEquals(ALWAYS, input.quietCountsFrom(1_200), "read at most twice a second");
        assertEquals(NOT_NOW, input.quietCountsFrom(1_500), "the broker went away");
        metrics.connections(1);
        assertEquals(3_000, input.quietCountsFrom(3_000), "back: quiet counts from here");
        assertEquals(3_000, input.quietCountsFrom(9_000));

        metrics.heartbeatSecondsAgo(7.5);
        assertEquals(NOT_NOW, input.quietCountsFrom(10_000), "connected, but the group heartbeats stopped");
        metrics.heartbeatSecondsAgo(0.2);
        assertEquals(11_000, input.quietCountsFrom(11_000));
    }

    @Test
    void quietDoesNotCountWhileRecordsWaitOrTheApplicationRebalances() {
        input.watch(metrics::all);
        metrics.lag(120);
        assertEquals(NOT_NOW, input.quietCountsFrom(1_000), "records waiting to be read");
        metrics.lag(0);
        assertEquals(2_000, input.quietCountsFrom(2_000), "caught up");
        metrics.state("REBALANCING");
        assertEquals(NOT_NOW, input.quietCountsFrom(3_000));
        metrics.state("RUNNING");
        metrics.restoreLag(5_000);
        assertEquals(NOT_NOW, input.quietCountsFrom(4_000), "a task's store is being restored");
        metrics.restoreLag(0);
        assertEquals(5_000, input.quietCountsFrom(5_000));
    }

    @Test
    void aReconnectBetweenTwoLooksStartsTheCountAgain() {
        input.watch(metrics::all);
        assertEquals(ALWAYS, input.quietCountsFrom(1_000));
        metrics.reconnect();
        assertEquals(2_000, input.quietCountsFrom(2_000), "the broker went and came back between the looks");
        assertEquals(2_000, input.quietCountsFrom(3_000));
    }

    @Test
    void noLookForLongerThanTheSilenceStartsTheCountAgain() {
        input.watch(metrics::all);
        assertEquals(ALWAYS, input.quietCountsFrom(1_000));
        assertEquals(ALWAYS, input.quietCountsFrom(7_000), "a look within 7 s");
        assertEquals(15_000, input.quietCountsFrom(15_000),
                "8 s without a look: the stream thread was blocked (a commit while the broker was away)");
    }
}
