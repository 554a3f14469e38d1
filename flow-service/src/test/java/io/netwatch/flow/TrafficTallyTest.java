package io.netwatch.flow;

import io.netwatch.records.TrafficMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A window's tally in its compact form, and a minute of many talkers kept small without losing its top ten. */
class TrafficTallyTest {

    private static TrafficTally partial(int from, int to, long big) {
        TrafficTally t = TrafficTally.of("probe-a", 0, 1_000_000);
        for (int host = from; host < to; host++) {
            t.sources.put("10.0." + (host / 250) + "." + (host % 250), new long[] {1, 60});
        }
        for (int i = 0; i < 10; i++) {
            t.sources.merge("192.0.2." + i, new long[] {big, big * 1000}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        t.packets = to - from + 10 * big;
        t.protocols.put("tcp", new long[] {t.packets, 1});
        t.emitted = true;
        t.touchedAt = 42;
        return t;
    }

    @Test
    void aTallyReadsBackFromItsCompactForm() {
        TrafficTally t = partial(0, 300, 5);
        TrafficTally back = TrafficTally.SERDE.deserialize("t", TrafficTally.SERDE.serialize("t", t));
        assertEquals(t.toMetrics(TrafficMetrics.SECOND), back.toMetrics(TrafficMetrics.SECOND));
        assertEquals(t.sources.size(), back.sources.size());
        assertEquals(42, back.touchedAt);
        assertTrue(back.emitted && !back.dirty);
    }

    @Test
    void aMinuteOfThousandsOfTalkersKeepsItsTopTenExactlyAndStaysSmall() {
        TrafficTally minute = TrafficTally.of("probe-a", 0, 60_000_000);
        for (int second = 0; second < 60; second++) {
            // each second 500 hosts new to the minute, and the same ten big talkers
            minute.merge(partial(second * 500, second * 500 + 500, 100));
            minute.boundTalkers(MetricsAggregator.MINUTE_TALKERS);
            assertTrue(minute.sources.size() <= 2 * MetricsAggregator.MINUTE_TALKERS, "bounded: " + minute.sources.size());
        }
        List<TrafficMetrics.Talker> top = minute.toMetrics(TrafficMetrics.MINUTE).topSources();
        assertEquals(10, top.size());
        for (TrafficMetrics.Talker talker : top) {
            assertTrue(talker.ip().startsWith("192.0.2."), "the big talkers: " + top);
            assertEquals(60 * 100 * 1000L, talker.bytes(), "every second of " + talker.ip() + " counted");
        }
    }
}
