package io.netwatch.probe.flows;

import io.netwatch.records.DeadlineIndex;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowState;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The probe's flow table (IPFIX's flow cache) for the packets of one encoder lane, which carries every packet of
 * a flow, in order: it builds flows as the flow-service does, from the same {@link FlowState} and timeouts, and
 * reports each flow as {@link FlowUpdate}s: {@code start} with its first packet, at most one {@code active} per
 * update interval of event time while packets arrive, {@code end} when it ends. Event time is the lane's newest
 * packet, as a stream task's is its partition's. One thread only.
 */
public final class FlowCache {
    /** Where updates go, with the flow key they are keyed by. */
    @FunctionalInterface
    public interface Sink {
        void update(String key, FlowUpdate update);
    }

    private static final long SWEEP_US = 1_000_000L;

    private final String runId;
    private final FlowTimeouts timeouts;
    private final long intervalUs;
    private final Sink sink;
    private final Map<String, Flow> flows = new HashMap<>();
    /**
     * Flow keys by the second they are to be looked at, to the second of event time. A deadline that moves later
     * leaves its key where it is (it is looked at early, finds nothing due and is filed again), one that moves
     * earlier files the key again; a key whose flow is filed elsewhere or gone is skipped when its second comes.
     * So a packet costs no index work unless its flow's deadline moves earlier: with an index that moved every
     * key exactly (a map of each key's second besides), the lookups and moves were over a quarter of the encoder's
     * time in the pipeline bench, where the maps of a busy link's open flows are far larger than the CPU's caches.
     */
    private final TreeMap<Long, List<String>> due = new TreeMap<>();
    private long clock = Long.MIN_VALUE;
    private long nextSweep = Long.MIN_VALUE;

    private static final class Flow {
        final FlowState state;
        int seq;
        /** Event time of the last update sent. */
        long sentAt;
        /** Whether packets came since the last update. */
        boolean changed;
        /** The second of {@link #due} that looks at this flow next, or Long.MAX_VALUE when none does. */
        long filedAt = Long.MAX_VALUE;

        Flow(FlowState state) {
            this.state = state;
        }
    }

    public FlowCache(String runId, FlowTimeouts timeouts, Duration updateInterval, Sink sink) {
        if (updateInterval.isNegative() || updateInterval.isZero()) {
            throw new IllegalArgumentException("the flow update interval must be positive, not " + updateInterval);
        }
        this.runId = runId;
        this.timeouts = timeouts;
        this.intervalUs = updateInterval.toNanos() / 1000;
        this.sink = sink;
    }

    /** Adds a packet (markers and frames that make no flow only move the clock). */
    public void add(String key, PacketRecord p) {
        if (p.hasMarker()) {
            return;
        }
        clock = Math.max(clock, p.ts());
        if (anyDue(clock - 1)) {
            // as the flow-service does: what fell due strictly before this packet ends first
            expireUpTo(clock - 1);
        }
        if (FlowState.carriesFlow(key, p)) {
            Flow f = flows.get(key);
            if (f != null && f.state.reusedBy(p)) {
                // a new connection on the ports of an earlier one
                end(key, f, FlowRecord.END_OF_FLOW);
                f = null;
            }
            if (f == null) {
                f = new Flow(FlowState.start(key, p));
                f.state.add(p);
                flows.put(key, f);
                send(key, f, FlowUpdate.START, null);
            } else {
                f.state.add(p);
                f.changed = true;
                if (p.ts() >= f.sentAt + intervalUs) {
                    send(key, f, FlowUpdate.ACTIVE, null);
                }
            }
            file(key, f);
        }
        if (nextSweep == Long.MIN_VALUE) {
            nextSweep = clock;
        }
        if (clock >= nextSweep) {
            // the flow-service also sweeps up to the newest packet once a second of event time, on Kafka Streams'
            // schedule (from the first record, then each second after)
            expireUpTo(clock);
            nextSweep += SWEEP_US * ((clock - nextSweep) / SWEEP_US + 1);
        }
    }

    /** Moves event time on without a packet: a live link that has been quiet this long. */
    public void advanceTo(long nowUs) {
        if (nowUs > clock) {
            clock = nowUs;
            expireUpTo(clock);
        }
    }

    /** The lane's event time: its newest packet, or where {@link #advanceTo} moved it; Long.MIN_VALUE before any. */
    public long clock() {
        return clock;
    }

    public int size() {
        return flows.size();
    }

    /** The end of the run: every flow ends now ({@code forced_end}). */
    public void endAll() {
        List<String> keys = new ArrayList<>(flows.keySet());
        for (String k : keys) {
            end(k, flows.get(k), FlowRecord.FORCED_END);
        }
        due.clear();
    }

    private boolean anyDue(long nowUs) {
        return !due.isEmpty() && due.firstKey() * 1_000_000 <= nowUs;
    }

    private void expireUpTo(long nowUs) {
        while (anyDue(nowUs)) {
            Map.Entry<Long, List<String>> bucket = due.pollFirstEntry();
            long second = bucket.getKey();
            for (String k : bucket.getValue()) {
                Flow f = flows.get(k);
                if (f == null || f.filedAt != second) {
                    continue; // ended, or filed under an earlier second since
                }
                f.filedAt = Long.MAX_VALUE;
                String reason = f.state.endReasonAt(nowUs, timeouts);
                if (reason != null) {
                    end(k, f, reason);
                    continue;
                }
                if (f.changed && f.sentAt + intervalUs <= nowUs) {
                    send(k, f, FlowUpdate.ACTIVE, null);
                }
                file(k, f);
            }
        }
    }

    /** Files the flow under its deadline's second (rounded up), unless it is filed under that or an earlier one. */
    private void file(String key, Flow f) {
        long second = DeadlineIndex.secondOf(deadline(f));
        if (second < f.filedAt) {
            due.computeIfAbsent(second, x -> new ArrayList<>()).add(key);
            f.filedAt = second;
        }
    }

    private long deadline(Flow f) {
        long end = f.state.endDeadline(timeouts);
        return f.changed ? Math.min(end, f.sentAt + intervalUs) : end;
    }

    private void end(String key, Flow f, String reason) {
        flows.remove(key); // what is filed for it is skipped when its second comes
        send(key, f, FlowUpdate.END, reason);
    }

    private void send(String key, Flow f, String state, String reason) {
        sink.update(key, f.state.report(runId, f.seq++, state, reason));
        f.sentAt = Math.max(clock, f.state.lastSeen());
        f.changed = false;
    }
}
