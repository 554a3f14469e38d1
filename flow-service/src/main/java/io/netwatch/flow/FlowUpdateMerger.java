package io.netwatch.flow;

import io.netwatch.records.DeadlineIndex;
import io.netwatch.records.DecodedStore;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowState;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.RawInput;
import io.netwatch.records.StreamsDrain;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
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
 * Builds the flow records of one partition from the probes' flow updates (netwatch.flow-updates.v1) instead of
 * their packets: the probe has already split the traffic into flows with the same rules, so this keeps each open
 * flow's latest update, publishes an {@code update} record when a flow passes the active timeout and the
 * {@code final} record when the probe ends it. The same partition's packet records still arrive (frames that make
 * no flow, such as ARP, count in the metrics only from them); the metrics of flows come from the updates' growth.
 *
 * <p>Updates are totals, so one read twice (this service restarted before its commit, with exactly-once off) or
 * one older than the stored one changes nothing. A probe run that stopped without ending its flows (killed, not
 * resumed) is closed here when the same probe's next run reaches this partition: its open flows end
 * {@code forced_end}, as the probe would have ended them.
 */
final class FlowUpdateMerger implements Processor<String, Object, String, Object> {
    private final FlowSettings settings;
    private final StreamsDrain drain;
    private final long activeUs;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private DecodedStore<byte[], MergedFlow> flows;
    private final TallyWindows tallies = new TallyWindows();
    /** Each probe's event time here (its newest packet or update) and its flows' active-timeout deadlines. */
    private final Map<String, ProbeClock> clocks = new HashMap<>();
    /** When each probe's last record came here (wall clock, ms). */
    private final Map<String, Long> lastRecordWallMs = new HashMap<>();
    /** The run each probe's updates came from last, once checked against the store. */
    private final Map<String, String> runs = new HashMap<>();

    private static final class ProbeClock {
        final DeadlineIndex deadlines = new DeadlineIndex();
        long streamTime = Long.MIN_VALUE;
    }

    FlowUpdateMerger(FlowSettings settings, StreamsDrain drain) {
        this.settings = settings;
        this.drain = drain;
        this.activeUs = settings.activeTimeout().toNanos() / 1000;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(FlowTopology.UPDATE_STORE);
        flows = new DecodedStore<>(store, MergedFlow::fromBytes, MergedFlow::toBytes);
        clocks.clear();
        lastRecordWallMs.clear();
        runs.clear();
        tallies.clear();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                MergedFlow m = MergedFlow.fromBytes(kv.value);
                FlowUpdate last = m.last();
                tallies.flowStarted(last.probeId());
                ProbeClock c = clock(last.probeId());
                c.deadlines.put(kv.key, activeDeadline(m));
                c.streamTime = Math.max(c.streamTime, last.lastSeen());
            }
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, t -> {
            for (Map.Entry<String, ProbeClock> e : clocks.entrySet()) {
                publishUpdatesDue(e.getValue(), e.getValue().streamTime);
                sendTallies(e.getValue().streamTime, e.getKey());
            }
        });
        // a probe quiet here for a while (a live link gone silent): its last seconds are complete
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, wallMs -> {
            if (drain.draining()) {
                tallies.send(Long.MAX_VALUE, null, this::forwardTally);
            }
            for (Map.Entry<String, Long> e : lastRecordWallMs.entrySet()) {
                if (wallMs - e.getValue() >= settings.quietFlush().toMillis()) {
                    sendTallies(Long.MAX_VALUE, e.getKey());
                }
            }
        });
    }

    @Override
    public void process(Record<String, Object> record) {
        handle(record);
        if (drain.draining()) {
            tallies.send(Long.MAX_VALUE, null, this::forwardTally); // closing: into this commit (StreamsDrain)
        }
    }

    private void handle(Record<String, Object> record) {
        RawInput.release(context);
        if (record.value() instanceof FlowUpdate u) {
            merge(u);
        } else if (record.value() instanceof PacketRecord p) {
            if (p.hasMarker()) {
                if (PacketRecord.END_OF_RUN.equals(p.marker())) {
                    // the probe ends its flows before it marks the end: their updates are in already
                    sendTallies(Long.MAX_VALUE, p.probeId());
                    // the probe's next run starts its own event time (a replay of an older capture); its flows'
                    // deadlines stay, as every stored flow keeps one
                    ProbeClock c = clocks.get(p.probeId());
                    if (c != null) {
                        c.streamTime = Long.MIN_VALUE;
                    }
                    tallies.probeEnded(p.probeId());
                }
                return;
            }
            advance(p.probeId(), p.ts());
            if (!FlowState.carriesFlow(record.key(), p)) {
                tallies.of(p.probeId(), p.ts()).add(p);
            }
        }
    }

    /** Sends the tallies of seconds still open, as the packet path does (see FlowAssembler#close for its limits). */
    @Override
    public void close() {
        tallies.send(Long.MAX_VALUE, null, this::forwardTally);
    }

    private void merge(FlowUpdate u) {
        ProbeClock clock = advance(u.probeId(), u.lastSeen());
        closeEarlierRuns(u.probeId(), u.runId());
        String key = u.probeId() + "|" + u.flowKey();
        // every stored flow has a deadline in memory: a flow's first update skips the store's lookup
        MergedFlow m = clock.deadlines.contains(key) ? flows.get(key) : null;
        if (m != null && m.last().ts() != u.ts()) {
            // a flow whose end never came (its run died in between): the probe would have ended it
            end(key, m.last(), FlowRecord.FORCED_END, m.published());
            m = null;
        }
        boolean end = FlowUpdate.END.equals(u.state());
        if (m != null && u.packets() <= m.last().packets() && !end) {
            return; // read before, or older than what is stored
        }
        FlowUpdate before = m == null ? null : m.last();
        TrafficTally tally = tallies.of(u.probeId(), u.lastSeen());
        if (before == null) {
            tally.newFlows++;
            tallies.flowStarted(u.probeId());
        }
        tally.addFlow(u, before);
        int published = m == null ? 0 : m.published();
        if (end) {
            end(key, u, u.endReason(), published);
            return;
        }
        MergedFlow merged = new MergedFlow(u, published);
        flows.put(key, merged);
        clock.deadlines.put(key, activeDeadline(merged));
    }

    private long activeDeadline(MergedFlow m) {
        return m.last().ts() + activeUs * (m.published() + 1);
    }

    /**
     * Active-timeout records in event time, as the packet path sends them: when the probe's time here passes a
     * flow's deadline, whether or not that flow had traffic since, with the totals of its latest update.
     */
    private void publishUpdatesDue(ProbeClock clock, long nowUs) {
        for (List<String> due = clock.deadlines.pollDue(nowUs); !due.isEmpty(); due = clock.deadlines.pollDue(nowUs)) {
            for (String k : due) {
                MergedFlow m = flows.get(k);
                if (m == null) {
                    continue;
                }
                forward(m.last(), m.last().toRecord(FlowRecord.UPDATE, FlowRecord.ACTIVE_TIMEOUT, m.published()));
                MergedFlow next = new MergedFlow(m.last(), m.published() + 1);
                flows.put(k, next);
                clock.deadlines.put(k, activeDeadline(next));
            }
        }
    }

    private void end(String key, FlowUpdate u, String reason, int published) {
        forward(u, u.toRecord(FlowRecord.FINAL, reason, published));
        flows.delete(key);
        clock(u.probeId()).deadlines.remove(key);
        tallies.flowEnded(u.probeId());
    }

    /** The first update of a probe's run here: flows of its earlier runs still open here will get no end. */
    private void closeEarlierRuns(String probeId, String runId) {
        if (runId.equals(runs.get(probeId))) {
            return;
        }
        runs.put(probeId, runId);
        List<KeyValue<String, MergedFlow>> stale = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(probeId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                MergedFlow m = MergedFlow.fromBytes(kv.value);
                if (!runId.equals(m.last().runId())) {
                    stale.add(KeyValue.pair(kv.key, m));
                }
            }
        }
        for (KeyValue<String, MergedFlow> kv : stale) {
            end(kv.key, kv.value.last(), FlowRecord.FORCED_END, kv.value.published());
        }
    }

    private ProbeClock clock(String probeId) {
        return clocks.computeIfAbsent(probeId, x -> new ProbeClock());
    }

    /** Moves the probe's event time here on; returns its clock. */
    private ProbeClock advance(String probeId, long ts) {
        ProbeClock c = clock(probeId);
        c.streamTime = Math.max(c.streamTime, ts);
        if (c.deadlines.anyDue(c.streamTime - 1)) {
            // strictly before this record, as the packet path does, so the outcome does not depend on when the
            // punctuation runs
            publishUpdatesDue(c, c.streamTime - 1);
        }
        lastRecordWallMs.put(probeId, context.currentSystemTimeMs());
        return c;
    }

    private void forward(FlowUpdate u, FlowRecord r) {
        context.forward(new Record<String, Object>(u.flowKey(), r, Math.max(0, u.lastSeen() / 1000)),
                FlowTopology.FLOWS_SINK);
    }

    private void sendTallies(long nowUs, String probeId) {
        tallies.send(nowUs, probeId, this::forwardTally);
    }

    private void forwardTally(TrafficTally t) {
        context.forward(new Record<String, Object>(t.probeId, t, Math.max(0, t.windowEnd / 1000)),
                FlowTopology.TALLIES_SINK);
    }
}
