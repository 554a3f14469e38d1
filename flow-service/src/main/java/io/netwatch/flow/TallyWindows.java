package io.netwatch.flow;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One task's share of the traffic metrics: a tally per probe and second of event time, and each probe's open
 * flows here, sent on as per-second tallies once the probe's event time has passed them.
 */
final class TallyWindows {
    private static final long SECOND_US = 1_000_000L;

    /** probe -> window start (µs) -> tally of this partition. */
    private final Map<String, TreeMap<Long, TrafficTally>> tallies = new HashMap<>();
    private final Map<String, Long> activeFlows = new HashMap<>();

    /** The tally of the second {@code ts} falls in. */
    TrafficTally of(String probeId, long ts) {
        long start = Math.floorDiv(ts, SECOND_US) * SECOND_US;
        return tallies.computeIfAbsent(probeId, x -> new TreeMap<>())
                .computeIfAbsent(start, x -> TrafficTally.of(probeId, start, start + SECOND_US));
    }

    void flowStarted(String probeId) {
        activeFlows.merge(probeId, 1L, Long::sum);
    }

    void flowEnded(String probeId) {
        activeFlows.merge(probeId, -1L, Long::sum);
    }

    /** The probe's run ended: none of its flows is open here. */
    void probeEnded(String probeId) {
        activeFlows.put(probeId, 0L);
    }

    void clear() {
        tallies.clear();
        activeFlows.clear();
    }

    /** Sends the tallies of windows that ended by {@code nowUs}, of one probe or of all when null. */
    void send(long nowUs, String onlyProbe, Consumer<TrafficTally> out) {
        for (Map.Entry<String, TreeMap<Long, TrafficTally>> e : tallies.entrySet()) {
            if (onlyProbe != null && !onlyProbe.equals(e.getKey())) {
                continue;
            }
            TreeMap<Long, TrafficTally> windows = e.getValue();
            while (!windows.isEmpty() && windows.firstEntry().getValue().windowEnd <= nowUs) {
                TrafficTally t = windows.pollFirstEntry().getValue();
                t.activeFlows = Math.max(0, activeFlows.getOrDefault(t.probeId, 0L));
                t.truncateTalkers();
                out.accept(t);
            }
        }
    }
}
