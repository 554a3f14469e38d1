package io.netwatch.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeping pace is a lag that stays small and does not grow, told apart from one that creeps up. */
class LagTrendTest {
    private static final PipelineSampler.Consumer C = new PipelineSampler.Consumer("c", "g", "t");

    /** 30 samples a second apart, 10,000 records a second appended, the lag at each second as given. */
    private static List<PipelineSampler.Sample> samples(LongUnaryOperator lagAtSecond) {
        List<PipelineSampler.Sample> s = new ArrayList<>();
        for (long sec = 0; sec < 30; sec++) {
            long end = sec * 10_000;
            s.add(new PipelineSampler.Sample(sec * 1000, Map.of("t", end), Map.of("c", end - lagAtSecond.applyAsLong(sec)),
                    Map.of(), Map.of(), Map.of()));
        }
        return s;
    }

    @Test
    void aLagThatComesAndGoesKeptPace() {
        LagTrend t = LagTrend.of(samples(sec -> sec % 3 == 0 ? 4_000 : 500), C, 0, 29_000);
        assertEquals(10_000, t.inputPerSecond(), 1e-9);
        assertEquals(4_000, t.maxLag());
        assertTrue(Math.abs(t.slopePerSecond()) < 100, "slope " + t.slopePerSecond());
        assertTrue(t.keptPace(), t.toString());
    }

    @Test
    void aLagGrowingByTwoHundredRecordsASecondFellBehindThoughItStaysUnderASecondOfInput() {
        LagTrend t = LagTrend.of(samples(sec -> 200 * sec), C, 0, 29_000);
        assertEquals(200, t.slopePerSecond(), 1e-6);
        assertTrue(t.maxLag() < 10_000);
        assertFalse(t.keptPace(), t.toString());
    }

    @Test
    void aLagOfMoreThanASecondOfInputFellBehindEvenIfFlat() {
        assertFalse(LagTrend.of(samples(sec -> 12_000), C, 0, 29_000).keptPace());
    }

    @Test
    void theStretchIsTheSamplesWithinItAndTooFewSayNothing() {
        LagTrend t = LagTrend.of(samples(sec -> sec < 20 ? 0 : 50_000), C, 0, 19_000);
        assertEquals(20, t.samples());
        assertTrue(t.keptPace());
        assertNull(LagTrend.of(samples(sec -> 0), C, 5_000, 6_000));
    }
}
