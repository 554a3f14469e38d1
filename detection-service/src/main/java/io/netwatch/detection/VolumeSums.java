package io.netwatch.detection;

import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.detection.rules.WindowRule;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the volume rules count (traffic spikes of the probe and of internal hosts, packet rates of sources, bytes
 * from internal hosts to external addresses), summed over one second of one probe in one packet partition, packet
 * by packet or flow update by flow update, and sent as observations when the second is over. Sums under the volume
 * floor are left out ({@link DetectionSettings#volumeFloor}), but for the second after a host's traffic-spike
 * second that was sent: its baseline judges a second when the next one comes.
 */
final class VolumeSums {
    /** What the floor lets through, per rule; a rule absent here is off. */
    record Floors(Map<String, Long> perRule, long hostSpike) {
        static Floors of(DetectionSettings settings) {
            Map<String, Long> perRule = new HashMap<>();
            for (WindowRule r : List.of(WindowRules.HIGH_PACKET_RATE, WindowRules.EXFILTRATION)) {
                WindowRule rule = settings.windowRules().get(r.name());
                if (rule != null) {
                    perRule.put(rule.name(), (long) (rule.threshold() * settings.volumeFloor()
                            / Math.max(1, rule.window().toSeconds())));
                }
            }
            perRule.put(TrafficSpikeRule.NAME, 0L); // the probe's own seconds, every one
            return new Floors(perRule, (long) (settings.spike().minBytesPerSecond() * settings.volumeFloor()));
        }
    }

    /** A sum on its way to one rule. */
    private static final class Sum {
        final String rule;
        final String entity;
        final String probeId;
        final String srcIp;
        final String dstIp;
        long amount;

        Sum(String rule, String entity, String probeId, String srcIp, String dstIp) {
            this.rule = rule;
            this.entity = entity;
            this.probeId = probeId;
            this.srcIp = srcIp;
            this.dstIp = dstIp;
        }
    }

    private final Floors floors;
    private final InternalNetworks internal;
    private final Map<String, Sum> sums = new HashMap<>();
    /** Hosts whose traffic-spike second was sent at the last flush: their next second is sent whatever it is. */
    private Map<String, Sum> spikedHosts = new HashMap<>();

    VolumeSums(Floors floors, InternalNetworks internal) {
        this.floors = floors;
        this.internal = internal;
    }

    /** A packet, sent by its source to its destination. */
    void add(PacketRecord p, InternalNetworks.Scope dstScope) {
        long bytes = p.wireLen();
        add(TrafficSpikeRule.NAME, "probe:" + p.probeId(), p.probeId(), null, null, bytes);
        if (p.srcIp() == null) {
            return;
        }
        add(WindowRules.HIGH_PACKET_RATE.name(), p.srcIp(), p.probeId(), p.srcIp(), null, 1);
        if (internal.scope(p.srcIp()) == InternalNetworks.Scope.INTERNAL) {
            add(TrafficSpikeRule.NAME, "host:" + p.srcIp(), p.probeId(), p.srcIp(), null, bytes);
            if (dstScope == InternalNetworks.Scope.EXTERNAL) {
                add(WindowRules.EXFILTRATION.name(), p.srcIp() + ">" + p.dstIp(), p.probeId(), p.srcIp(), p.dstIp(),
                        bytes);
            }
        }
        if (dstScope == InternalNetworks.Scope.INTERNAL) {
            add(TrafficSpikeRule.NAME, "host:" + p.dstIp(), p.probeId(), p.dstIp(), null, bytes);
        }
    }

    /**
     * What a flow's two directions sent since its last update, as its packets one by one would have added it: the
     * originator's packets go from the flow's source to its destination, the responder's back. An update comes up
     * to an update interval after its packets, so they count in the second of its last packet, or in the second
     * open now when that one has been sent.
     */
    void add(FlowProgress f, InternalNetworks.Scope dstScope) {
        long origPkts = f.origPkts();
        long respPkts = f.respPkts();
        if (origPkts + respPkts == 0) {
            return;
        }
        FlowUpdate u = f.now();
        long origBytes = f.origBytes();
        long respBytes = f.respBytes();
        String probe = u.probeId();
        add(TrafficSpikeRule.NAME, "probe:" + probe, probe, null, null, origBytes + respBytes);
        if (u.srcIp() == null) {
            return;
        }
        if (origPkts > 0) {
            add(WindowRules.HIGH_PACKET_RATE.name(), u.srcIp(), probe, u.srcIp(), null, origPkts);
        }
        if (respPkts > 0) {
            add(WindowRules.HIGH_PACKET_RATE.name(), u.dstIp(), probe, u.dstIp(), null, respPkts);
        }
        InternalNetworks.Scope srcScope = internal.scope(u.srcIp());
        if (srcScope == InternalNetworks.Scope.INTERNAL) {
            add(TrafficSpikeRule.NAME, "host:" + u.srcIp(), probe, u.srcIp(), null, origBytes + respBytes);
            if (dstScope == InternalNetworks.Scope.EXTERNAL && origBytes > 0) {
                add(WindowRules.EXFILTRATION.name(), u.srcIp() + ">" + u.dstIp(), probe, u.srcIp(), u.dstIp(),
                        origBytes);
            }
        }
        if (dstScope == InternalNetworks.Scope.INTERNAL) {
            add(TrafficSpikeRule.NAME, "host:" + u.dstIp(), probe, u.dstIp(), null, origBytes + respBytes);
            if (srcScope == InternalNetworks.Scope.EXTERNAL && respBytes > 0) {
                add(WindowRules.EXFILTRATION.name(), u.dstIp() + ">" + u.srcIp(), probe, u.dstIp(), u.srcIp(),
                        respBytes);
            }
        }
    }

    private void add(String rule, String entity, String probeId, String src, String dst, long amount) {
        sums.computeIfAbsent(rule + "|" + entity, k -> new Sum(rule, entity, probeId, src, dst)).amount += amount;
    }

    boolean isEmpty() {
        return sums.isEmpty() && spikedHosts.isEmpty();
    }

    /** Sends the second's sums that matter, as observations at {@code ts}, and starts the next second. */
    void flush(long ts, Consumer<Observation> out) {
        Map<String, Sum> spiked = new HashMap<>();
        for (Map.Entry<String, Sum> e : sums.entrySet()) {
            Sum s = e.getValue();
            Long floor = floors.perRule().get(s.rule);
            boolean host = s.entity.startsWith("host:");
            boolean closesSpike = host && spikedHosts.remove(e.getKey()) != null;
            if (floor == null || (s.amount < (host ? floors.hostSpike() : floor) && !closesSpike)) {
                continue; // the rule is off, or this host's second cannot matter
            }
            if (host && s.amount >= floors.hostSpike()) {
                spiked.put(e.getKey(), s);
            }
            out.accept(new Observation(s.rule, s.entity, ts, s.probeId, s.srcIp, s.dstIp, null, null, s.amount));
        }
        for (Sum s : spikedHosts.values()) {
            out.accept(new Observation(s.rule, s.entity, ts, s.probeId, s.srcIp, s.dstIp, null, null, 0));
        }
        spikedHosts = spiked;
        sums.clear();
    }
}
