package io.netwatch.flow;

import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the per-partition tallies of each probe into 1 s and 1 min traffic metrics. A window is published when
 * event time has passed its end by the allowed lateness, or when no tally has come for a while (the end of a
 * replay); a tally that arrives later updates the window and it is published again.
 *
 * <p>Open windows are kept decoded, with what publishing needs to know of each in memory, so neither a tally nor the
 * once-a-second publishing reads the store back: a minute of a busy link's window holds thousands of talkers, and
 * reading it for each tally and every window each second was half of the stream thread's time (bench-flows, campus
 * mix). A minute keeps its {@value #MINUTE_TALKERS} biggest talkers once it has twice that many: its top 10 stays
 * exact unless the 10th talker of the minute moved less than the 1,000th of the seconds merged so far.
 */
final class MetricsAggregator implements Processor<String, TrafficTally, String, TrafficMetrics> {
    /** Talkers a minute window keeps, in each direction. */
    static final int MINUTE_TALKERS = 1000;
    private static final long MINUTE_US = 60_000_000L;
    /** How long published windows are kept to take late tallies. */
    private static final long KEEP_SECONDS_US = 120_000_000L;
    private static final long KEEP_MINUTES_US = 10 * MINUTE_US;
    private static final long QUIET_MS = 3000;

    private final FlowSettings settings;
    private ProcessorContext<String, TrafficMetrics> context;
    private KeyValueStore<String, byte[]> store;
    private Serializer<TrafficTally> serializer;
    /** Every stored window, decoded: the store is written on each change and read only at start. */
    private final Map<String, TrafficTally> open = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;

    MetricsAggregator(FlowSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, TrafficMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(FlowTopology.METRICS_STORE);
        this.serializer = FlowTopology.TALLIES.valueSerde().serializer();
        Deserializer<TrafficTally> deserializer = FlowTopology.TALLIES.valueSerde().deserializer();
        streamTime = Long.MIN_VALUE; // a revived task is initialised again on the same instance (FlowAssembler)
        open.clear();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> open.put(kv.key, deserializer.deserialize(null, kv.value)));
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, t -> publish());
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, t -> publish());
    }

    @Override
    public void process(Record<String, TrafficTally> record) {
        TrafficTally t = record.value();
        if (t == null) {
            return;
        }
        streamTime = Math.max(streamTime, t.windowEnd);
        long now = context.currentSystemTimeMs();
        long minute = Math.floorDiv(t.windowStart, MINUTE_US) * MINUTE_US;
        add(key(t.probeId, TrafficMetrics.SECOND, t.windowStart), t, t.windowStart, t.windowEnd, true, now);
        add(key(t.probeId, TrafficMetrics.MINUTE, minute), t, minute, minute + MINUTE_US, false, now);
    }

    private void add(String key, TrafficTally t, long start, long end, boolean withGauge, long now) {
        TrafficTally w = open.get(key);
        if (w == null) {
            w = TrafficTally.of(t.probeId, start, end);
        }
        long active = w.activeFlows;
        w.merge(t);
        if (!withGauge) {
            w.activeFlows = active; // a minute's active flows come from its published seconds (their maximum)
            w.boundTalkers(MINUTE_TALKERS);
        }
        w.dirty = true;
        w.touchedAt = now;
        put(key, w);
    }

    private void put(String key, TrafficTally w) {
        store.put(key, serializer.serialize(null, w));
        open.put(key, w);
    }

    private void publish() {
        long now = context.currentSystemTimeMs();
        long lateness = settings.metricsLateness().toNanos() / 1000;
        List<String> changed = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, TrafficTally> e : open.entrySet()) {
            TrafficTally w = e.getValue();
            boolean second = e.getKey().contains("/" + TrafficMetrics.SECOND + "/");
            boolean due = streamTime >= w.windowEnd + lateness || now - w.touchedAt >= QUIET_MS;
            if (w.dirty && due) {
                changed.add(e.getKey());
            } else if (w.emitted && !w.dirty
                    && streamTime > w.windowEnd + (second ? KEEP_SECONDS_US : KEEP_MINUTES_US)) {
                expired.add(e.getKey());
            }
        }
        // seconds first, so the minute they belong to sees their active-flow counts
        changed.sort((a, b) -> Boolean.compare(a.contains("/1m/"), b.contains("/1m/")));
        for (String key : changed) {
            TrafficTally w = open.get(key);
            String resolution = key.contains("/1m/") ? TrafficMetrics.MINUTE : TrafficMetrics.SECOND;
            w.emitted = true;
            w.dirty = false;
            put(key, w);
            if (resolution.equals(TrafficMetrics.SECOND)) {
                foldGaugeIntoMinute(w);
            }
            TrafficMetrics m = w.toMetrics(resolution);
            context.forward(new Record<>(m.key(), m, Math.max(0, w.windowEnd / 1000)));
        }
        for (String key : expired) {
            // put(key, null) deletes without reading and decoding the old value, as delete() does to return it
            store.put(key, null);
            open.remove(key);
        }
    }

    private void foldGaugeIntoMinute(TrafficTally second) {
        long minute = Math.floorDiv(second.windowStart, MINUTE_US) * MINUTE_US;
        String k = key(second.probeId, TrafficMetrics.MINUTE, minute);
        TrafficTally m = open.get(k);
        if (m != null && second.activeFlows > m.activeFlows) {
            m.activeFlows = second.activeFlows;
            put(k, m);
        }
    }

    private static String key(String probeId, String resolution, long start) {
        return probeId + "/" + resolution + "/" + start;
    }
}
