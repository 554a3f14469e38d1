package io.netwatch.gateway.live;

import io.netwatch.records.TrafficMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recent traffic metrics of every probe: the last {@code seconds} one-second windows and the latest one-minute
 * window. A window published again (late traffic) replaces the earlier record of the same window.
 */
public final class TrafficHistory {
    private final int seconds;
    private final Map<String, TreeMap<Long, TrafficMetrics>> perSecond = new HashMap<>();
    private final Map<String, TrafficMetrics> lastMinute = new HashMap<>();

    public TrafficHistory(int seconds) {
        this.seconds = seconds;
    }

    public synchronized void add(TrafficMetrics m) {
        if (TrafficMetrics.MINUTE.equals(m.resolution())) {
            lastMinute.merge(m.probeId(), m, (a, b) -> b.windowStart() >= a.windowStart() ? b : a);
            return;
        }
        TreeMap<Long, TrafficMetrics> windows = perSecond.computeIfAbsent(m.probeId(), p -> new TreeMap<>());
        windows.put(m.windowStart(), m);
        while (windows.size() > seconds) {
            windows.pollFirstEntry();
        }
    }

    /** The newest one-second window of each probe. */
    public synchronized List<TrafficMetrics> latestSeconds() {
        List<TrafficMetrics> out = new ArrayList<>();
        perSecond.values().forEach(w -> {
            if (!w.isEmpty()) {
                out.add(w.lastEntry().getValue());
            }
        });
        return out;
    }

    /** The newest one-minute window of each probe, or its newest second when no minute has closed yet. */
    public synchronized List<TrafficMetrics> latestWindows() {
        List<TrafficMetrics> out = new ArrayList<>(lastMinute.values());
        perSecond.forEach((probe, w) -> {
            if (!lastMinute.containsKey(probe) && !w.isEmpty()) {
                out.add(w.lastEntry().getValue());
            }
        });
        return out;
    }

    /** One-second windows of all probes from {@code sinceUs} on, oldest first. */
    public synchronized List<TrafficMetrics> secondsSince(long sinceUs) {
        List<TrafficMetrics> out = new ArrayList<>();
        perSecond.values().forEach(w -> out.addAll(w.tailMap(sinceUs, true).values()));
        out.sort((a, b) -> Long.compare(a.windowStart(), b.windowStart()));
        return out;
    }
}
