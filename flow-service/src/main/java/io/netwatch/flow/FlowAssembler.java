package io.netwatch.flow;

import io.netwatch.records.DeadlineIndex;
import io.netwatch.records.DecodedStore;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowState;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.InputWatch;
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
 * Builds flows from the packets of one partition. Each flow's state lives in the persistent store (changelogged,
 * exactly-once with the input offsets); an in-memory index of deadlines, rebuilt from the store at start, finds
 * the flows to end or update as event time moves on, without scanning the store. Event time is kept per probe:
 * probes share partitions, and a replay of last year's capture must not age out the flows of a live capture (or
 * be aged out by them). The same processor counts the partition's share of the traffic metrics and sends it on
 * as per-second tallies.
 */
final class FlowAssembler implements Processor<String, PacketRecord, String, Object> {
    private final FlowSettings settings;
    private final FlowTimeouts timeouts;
    private final InputWatch input;
    private final StreamsDrain drain;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private DecodedStore<byte[], FlowState> flows;
    private final Map<String, ProbeClock> clocks = new HashMap<>();
    private final TallyWindows tallies = new TallyWindows();

    /** One probe's event time in this partition, the deadlines of its flows, and when it last sent a packet. */
    private static final class ProbeClock {
        final DeadlineIndex deadlines = new DeadlineIndex();
        long streamTime = Long.MIN_VALUE;
        /** Unknown until the first packet or wall-clock punctuation: a task's clock is not set while it starts. */
        long lastRecordWallMs = Long.MIN_VALUE;
    }

    FlowAssembler(FlowSettings settings, InputWatch input, StreamsDrain drain) {
        this.settings = settings;
        this.timeouts = settings.timeouts();
        this.input = input;
        this.drain = drain;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(FlowTopology.FLOW_STORE);
        // Kafka Streams calls init again on the same instance when it revives a task (its stores restored from
        // the changelog, its input re-read from the last commit): what lives in memory starts over
        flows = new DecodedStore<>(store, FlowState::fromBytes, FlowState::toBytes);
        clocks.clear();
        tallies.clear();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                FlowState s = FlowState.fromBytes(kv.value);
                ProbeClock c = clock(s.probeId());
                c.deadlines.put(kv.key, s.deadline(timeouts));
                c.streamTime = Math.max(c.streamTime, s.lastSeen());
                tallies.flowStarted(s.probeId());
            }
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, t -> onEventTime());
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, PacketRecord> record) {
        handle(record);
        if (drain.draining()) {
            sendTallies(Long.MAX_VALUE, null); // the service is closing: into this commit, not into close()
        }
    }

    private void handle(Record<String, PacketRecord> record) {
        RawInput.release(context); // a cached store keeps what the context holds
        PacketRecord p = record.value();
        if (p == null) {
            return;
        }
        if (p.hasMarker()) {
            if (PacketRecord.END_OF_RUN.equals(p.marker())) {
                endProbe(p.probeId());
            }
            return;
        }
        ProbeClock clock = clock(p.probeId());
        clock.lastRecordWallMs = context.currentSystemTimeMs();
        clock.streamTime = Math.max(clock.streamTime, p.ts());
        if (clock.deadlines.anyDue(clock.streamTime - 1)) {
            // what fell due strictly before this packet ends now, not at the next punctuation: how many records
            // Kafka Streams processes between punctuations varies from run to run, and a late packet must not
            // join or split a flow by chance
            expireUpTo(clock, clock.streamTime - 1);
        }
        TrafficTally tally = tallies.of(p.probeId(), p.ts());
        tally.add(p);
        if (!FlowState.carriesFlow(record.key(), p)) {
            return;
        }
        String storeKey = p.probeId() + "|" + record.key();
        FlowState s = flows.get(storeKey);
        if (s == null) {
            s = newFlow(record.key(), p, tally);
        } else {
            if (s.reusedBy(p)) {
                // a new connection on the ports of an earlier one: end the earlier flow, start another
                emit(s, FlowRecord.FINAL, FlowRecord.END_OF_FLOW);
                tallies.flowEnded(s.probeId());
                s = newFlow(record.key(), p, tally);
            }
        }
        s.add(p);
        flows.put(storeKey, s);
        clock.deadlines.put(storeKey, s.deadline(timeouts));
    }

    /**
     * Sends the tallies of seconds still open. Under exactly-once they do not reach the metrics from here: Kafka
     * Streams 4.1 commits the task before it closes its processors, so these records go out in a transaction that
     * is aborted. The service therefore drains first ({@link StreamsDrain}): the open tallies go out while the task
     * still processes. What this still sends counts where close() comes before a commit (a rebalance).
     */
    @Override
    public void close() {
        sendTallies(Long.MAX_VALUE, null);
    }

    private ProbeClock clock(String probeId) {
        return clocks.computeIfAbsent(probeId, x -> new ProbeClock());
    }

    private FlowState newFlow(String key, PacketRecord p, TrafficTally tally) {
        tally.newFlows++;
        tallies.flowStarted(p.probeId());
        return FlowState.start(key, p);
    }

    private void onEventTime() {
        for (Map.Entry<String, ProbeClock> e : clocks.entrySet()) {
            expireUpTo(e.getValue(), e.getValue().streamTime);
            sendTallies(e.getValue().streamTime, e.getKey());
        }
    }

    /** A probe that has been quiet here for a while: let its flows age with the clock, as live traffic would. */
    private void onWallClock(long wallMs) {
        if (drain.draining()) {
            sendTallies(Long.MAX_VALUE, null);
        }
        for (Map.Entry<String, ProbeClock> e : clocks.entrySet()) {
            ProbeClock c = e.getValue();
            if (c.lastRecordWallMs == Long.MIN_VALUE) {
                // flows restored at start: their quiet time counts from now, not from whenever the clock read 0
                c.lastRecordWallMs = wallMs;
                continue;
            }
            // quiet the service could not have seen (no broker, a blocked thread, a rebalance) is not quiet on the wire
            long quietMs = wallMs - Math.max(c.lastRecordWallMs, input.quietCountsFrom(wallMs));
            if (c.streamTime != Long.MIN_VALUE && quietMs >= settings.quietFlush().toMillis()) {
                expireUpTo(c, c.streamTime + quietMs * 1000);
                sendTallies(Long.MAX_VALUE, e.getKey());
            }
        }
    }

    private void expireUpTo(ProbeClock clock, long nowUs) {
        DeadlineIndex deadlines = clock.deadlines;
        for (List<String> due = deadlines.pollDue(nowUs); !due.isEmpty(); due = deadlines.pollDue(nowUs)) {
            for (String k : due) {
                FlowState s = flows.get(k);
                if (s == null) {
                    continue;
                }
                String ended = s.endReasonAt(nowUs, timeouts);
                if (ended != null) {
                    emit(s, FlowRecord.FINAL, ended);
                    flows.delete(k);
                    tallies.flowEnded(s.probeId());
                } else if (s.activeUpdateDue(nowUs, timeouts)) {
                    emit(s, FlowRecord.UPDATE, FlowRecord.ACTIVE_TIMEOUT);
                    s.updated();
                    flows.put(k, s);
                    deadlines.put(k, s.deadline(timeouts));
                } else {
                    deadlines.put(k, s.deadline(timeouts));
                }
            }
        }
    }

    /** The end of a probe's run: every flow of that probe in this partition ends now, nothing waits for timeouts. */
    private void endProbe(String probeId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(probeId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                emit(FlowState.fromBytes(kv.value), FlowRecord.FINAL, FlowRecord.FORCED_END);
                keys.add(kv.key);
            }
        }
        for (String k : keys) {
            flows.delete(k);
        }
        // the probe's next run starts its own event time: a replay of an older capture is not aged by this one
        clocks.remove(probeId);
        tallies.probeEnded(probeId);
        sendTallies(Long.MAX_VALUE, probeId);
    }

    private void emit(FlowState s, String recordType, String reason) {
        FlowRecord r = s.toRecord(recordType, reason);
        context.forward(new Record<String, Object>(s.flowKey(), r, Math.max(0, s.lastSeen() / 1000)),
                FlowTopology.FLOWS_SINK);
    }

    /** Sends the tallies of windows that ended by {@code nowUs} (of one probe, or all when null). */
    private void sendTallies(long nowUs, String onlyProbe) {
        tallies.send(nowUs, onlyProbe, t -> context.forward(new Record<String, Object>(t.probeId, t,
                Math.max(0, t.windowEnd / 1000)), FlowTopology.TALLIES_SINK));
    }
}
