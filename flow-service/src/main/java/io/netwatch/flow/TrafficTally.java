package io.netwatch.flow;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.netwatch.records.AppProtocols;
import io.netwatch.records.CompactSerde;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.StateBytes;
import io.netwatch.records.Timestamped;
import io.netwatch.records.TrafficMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packet and byte counts of one probe over one window: counted per partition by the flow assembler, sent on the
 * internal partials topic, and merged per probe by the metrics aggregator into {@link TrafficMetrics}. On the topic
 * and in the aggregator's store in a compact binary form: a window holds up to thousands of talkers, and JSON for
 * them was most of the aggregator's time.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class TrafficTally implements Timestamped {
    /** Talkers kept per partial: enough that the merged top 10 is exact unless traffic is extremely spread. */
    static final int MAX_TALKERS = 500;

    static final CompactSerde<TrafficTally> SERDE = new CompactSerde<>(TrafficTally.class, TrafficTally::toBytes,
            TrafficTally::fromBytes);

    String probeId;
    long windowStart;
    long windowEnd;
    long packets;
    long bytes;
    long newFlows;
    long activeFlows;
    Map<String, long[]> protocols = new HashMap<>();
    Map<String, long[]> apps = new HashMap<>();
    /** Every map: name -> {packets, bytes}. */
    Map<String, long[]> sources = new HashMap<>();
    Map<String, long[]> destinations = new HashMap<>();
    /** Aggregator only: whether this window was published, and when it last changed (wall clock, ms). */
    boolean emitted;
    boolean dirty;
    long touchedAt;

    byte[] toBytes() {
        StateBytes.Writer o = new StateBytes.Writer().writeByte(1).writeOptionalUTF(probeId).writeLong(windowStart)
                .writeLong(windowEnd).writeLong(packets).writeLong(bytes).writeLong(newFlows).writeLong(activeFlows)
                .writeBoolean(emitted).writeBoolean(dirty).writeLong(touchedAt);
        for (Map<String, long[]> m : List.of(protocols, apps, sources, destinations)) {
            o.writeInt(m.size());
            for (Map.Entry<String, long[]> e : m.entrySet()) {
                o.writeUTF(e.getKey()).writeLong(e.getValue()[0]).writeLong(e.getValue()[1]);
            }
        }
        return o.toByteArray();
    }

    static TrafficTally fromBytes(byte[] b) {
        StateBytes.Reader i = StateBytes.Reader.versioned(b, 1, "traffic tally");
        TrafficTally t = new TrafficTally();
        t.probeId = i.readOptionalUTF();
        t.windowStart = i.readLong();
        t.windowEnd = i.readLong();
        t.packets = i.readLong();
        t.bytes = i.readLong();
        t.newFlows = i.readLong();
        t.activeFlows = i.readLong();
        t.emitted = i.readBoolean();
        t.dirty = i.readBoolean();
        t.touchedAt = i.readLong();
        t.protocols = counts(i);
        t.apps = counts(i);
        t.sources = counts(i);
        t.destinations = counts(i);
        return t;
    }

    private static Map<String, long[]> counts(StateBytes.Reader i) {
        int n = i.readInt();
        Map<String, long[]> m = new HashMap<>(Math.max(16, n * 2));
        for (int k = 0; k < n; k++) {
            m.put(i.readUTF(), new long[] {i.readLong(), i.readLong()});
        }
        return m;
    }

    /** A tally is about its window, which is complete at its end. */
    @Override
    public long eventTimeUs() {
        return windowEnd;
    }

    static TrafficTally of(String probeId, long windowStart, long windowEnd) {
        TrafficTally t = new TrafficTally();
        t.probeId = probeId;
        t.windowStart = windowStart;
        t.windowEnd = windowEnd;
        return t;
    }

    void add(PacketRecord p) {
        long len = p.wireLen();
        packets++;
        bytes += len;
        count(protocols, protocolOf(p), len);
        String app = appOf(p);
        if (app != null) {
            count(apps, app, len);
        }
        if (p.srcIp() != null) {
            count(sources, p.srcIp(), len);
            count(destinations, p.dstIp(), len);
        }
    }

    /**
     * What a flow update adds to its flow since the update before (null for its first): its packets, counted as
     * one-by-one packets would be, but all in the second of the update's last packet, and under the flow's
     * application protocol.
     */
    void addFlow(FlowUpdate u, FlowUpdate before) {
        long origPkts = grown(u.origPkts(), before == null ? 0 : before.origPkts());
        long origBytes = grown(u.origBytes(), before == null ? 0 : before.origBytes());
        long respPkts = grown(u.respPkts(), before == null ? 0 : before.respPkts());
        long respBytes = grown(u.respBytes(), before == null ? 0 : before.respBytes());
        packets += origPkts + respPkts;
        bytes += origBytes + respBytes;
        count(protocols, protocolOf(u.transport()), origPkts + respPkts, origBytes + respBytes);
        if (u.appProtocol() != null) {
            count(apps, u.appProtocol(), origPkts + respPkts, origBytes + respBytes);
        }
        if (origPkts > 0) {
            count(sources, u.srcIp(), origPkts, origBytes);
            count(destinations, u.dstIp(), origPkts, origBytes);
        }
        if (respPkts > 0) {
            count(sources, u.dstIp(), respPkts, respBytes);
            count(destinations, u.srcIp(), respPkts, respBytes);
        }
    }

    private static long grown(long now, long before) {
        return Math.max(0, now - before);
    }

    static String protocolOf(PacketRecord p) {
        return protocolOf(p.transport());
    }

    private static String protocolOf(String t) {
        if (t == null) {
            return "other";
        }
        switch (t) {
            case "tcp": case "udp": case "icmp": case "icmpv6": case "arp":
                return t;
            default:
                return "other";
        }
    }

    static String appOf(PacketRecord p) {
        if (p.dns() != null) {
            return "dns";
        }
        if (p.http() != null) {
            return "http";
        }
        if (p.tls() != null) {
            return "tls";
        }
        return AppProtocols.guess(p.dstPort(), p.srcPort());
    }

    private static void count(Map<String, long[]> m, String k, long len) {
        count(m, k, 1, len);
    }

    private static void count(Map<String, long[]> m, String k, long pkts, long len) {
        long[] c = m.computeIfAbsent(k, x -> new long[2]);
        c[0] += pkts;
        c[1] += len;
    }

    /** Adds another tally of the same window; active flows add up across partitions at one instant. */
    void merge(TrafficTally o) {
        packets += o.packets;
        bytes += o.bytes;
        newFlows += o.newFlows;
        activeFlows += o.activeFlows;
        mergeInto(protocols, o.protocols);
        mergeInto(apps, o.apps);
        mergeInto(sources, o.sources);
        mergeInto(destinations, o.destinations);
    }

    private static void mergeInto(Map<String, long[]> into, Map<String, long[]> from) {
        for (Map.Entry<String, long[]> e : from.entrySet()) {
            long[] c = into.computeIfAbsent(e.getKey(), x -> new long[2]);
            c[0] += e.getValue()[0];
            c[1] += e.getValue()[1];
        }
    }

    /** Keeps the biggest talkers only, before a partial leaves the partition. */
    void truncateTalkers() {
        sources = top(sources, MAX_TALKERS);
        destinations = top(destinations, MAX_TALKERS);
    }

    /**
     * Keeps the {@code n} biggest talkers of each direction once there are twice as many, so a window merged from
     * many partials stays small at the cost of the smallest talkers' earlier counts.
     */
    void boundTalkers(int n) {
        if (sources.size() > 2 * n) {
            sources = top(sources, n);
        }
        if (destinations.size() > 2 * n) {
            destinations = top(destinations, n);
        }
    }

    private static Map<String, long[]> top(Map<String, long[]> m, int n) {
        if (m.size() <= n) {
            return m;
        }
        Map<String, long[]> out = new HashMap<>();
        m.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
                .limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    TrafficMetrics toMetrics(String resolution) {
        return new TrafficMetrics(probeId, resolution, windowStart, windowEnd, packets, bytes, counters(protocols),
                counters(apps), newFlows, activeFlows, talkers(sources), talkers(destinations));
    }

    private static Map<String, TrafficMetrics.Counter> counters(Map<String, long[]> m) {
        Map<String, TrafficMetrics.Counter> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TrafficMetrics.Counter(v[0], v[1])));
        return out;
    }

    private static List<TrafficMetrics.Talker> talkers(Map<String, long[]> m) {
        List<TrafficMetrics.Talker> out = new ArrayList<>();
        m.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1])
                        .thenComparing(Map.Entry::getKey))
                .limit(10).forEach(e -> out.add(new TrafficMetrics.Talker(e.getKey(), e.getValue()[1], e.getValue()[0])));
        return out;
    }
}
