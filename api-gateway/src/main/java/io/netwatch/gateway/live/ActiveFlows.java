package io.netwatch.gateway.live;

import io.netwatch.records.FlowRecord;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Flows that have published an update but no final record yet. A flow whose final record never comes (its
 * flow-service lost it, or it was filtered) leaves after {@code staleUs} of event time without news.
 */
public final class ActiveFlows {
    private final ConcurrentHashMap<String, FlowRecord> flows = new ConcurrentHashMap<>();
    private final int capacity;
    private final long staleUs;
    private volatile long latestUs;

    public ActiveFlows(int capacity, long staleUs) {
        this.capacity = capacity;
        this.staleUs = staleUs;
    }

    public void update(FlowRecord f) {
        latestUs = Math.max(latestUs, f.lastSeen());
        if (FlowRecord.FINAL.equals(f.recordType())) {
            flows.remove(f.flowId());
        } else if (flows.size() < capacity || flows.containsKey(f.flowId())) {
            flows.merge(f.flowId(), f, (a, b) -> b.lastSeen() >= a.lastSeen() ? b : a);
        }
    }

    /** Drops flows silent for longer than the stale time, measured in event time. */
    public void expire() {
        long horizon = latestUs - staleUs;
        flows.values().removeIf(f -> f.lastSeen() < horizon);
    }

    public int size() {
        return flows.size();
    }

    /** The biggest active flows first. */
    public List<FlowRecord> top(int limit, Predicate<FlowRecord> filter) {
        return flows.values().stream().filter(filter)
                .sorted(Comparator.comparingLong((FlowRecord f) -> f.origBytes() + f.respBytes()).reversed())
                .limit(limit).toList();
    }
}
