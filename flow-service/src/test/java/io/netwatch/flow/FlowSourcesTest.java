package io.netwatch.flow;

import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.TrafficMetrics;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The flow-service makes the same flows and the same traffic totals from the probes' flow updates
 * ({@code netwatch.flow.source=flow-updates}) and the packet records a probe with {@code packet-filter=rules}
 * still publishes as from every packet, on every shared capture: the final records
 * are equal field by field (flow id, end reason, update count included), and over the capture the minute metrics
 * add up to the same packets, bytes, new flows and protocol mix. What differs by design: an update's growth
 * counts in the second of its last packet, so a second's figures can move to the next one (the totals do not),
 * and an application's bytes are its flow's (a TLS flow's handshake and data are all {@code tls}, where one packet
 * at a time splits them between {@code tls} and {@code https}), so application totals are not compared.
 */
class FlowSourcesTest {
    private static final Comparator<FlowRecord> ORDER = Comparator.comparing(FlowRecord::flowId);

    @TestFactory
    Stream<DynamicTest> flowUpdatesMakeTheFlowsAndTotalsOfThePackets() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : SharedPcaps.reference().keySet()) {
            tests.add(DynamicTest.dynamicTest(file, () -> {
                List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(file), 0);
                CaptureFlows.Output fromPackets = CaptureFlows.run(packets, FlowSettings.defaults(), 0,
                        FlowSource.PACKETS);
                // with the probe's packet filter: packet records only for what rules need and frames of no flow
                CaptureFlows.Output fromUpdates = CaptureFlows.run(packets, FlowSettings.defaults(), 0,
                        FlowSource.FLOW_UPDATES, PacketFilter.RULES);
                List<FlowRecord> a = fromPackets.finals().stream().sorted(ORDER).toList();
                List<FlowRecord> b = fromUpdates.finals().stream().sorted(ORDER).toList();
                assertEquals(a.size(), b.size(), "flows");
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(a.get(i), b.get(i), "flow " + a.get(i).flowId());
                }
                assertEquals(totals(fromPackets.metrics()), totals(fromUpdates.metrics()), "minute totals");
            }));
        }
        return tests.stream();
    }

    /**
     * With a 10 s active timeout, long flows get the same {@code update} records on both paths, at the same event
     * time (when the probe's time passes each deadline, whether or not the flow had traffic since); from updates
     * they carry the totals of the flow's latest update, never ahead of the packets' and behind by what the probe
     * had not yet reported (up to the update interval, plus the wait for the lane's next packet or one-second
     * sweep: 2.5 s on one sparse flow here). Each final record counts the updates its path published.
     */
    @TestFactory
    Stream<DynamicTest> longFlowsGetActiveTimeoutUpdatesFromFlowUpdatesToo() {
        FlowSettings d = FlowSettings.defaults();
        FlowSettings tenSeconds = new FlowSettings(d.idleTimeout(), java.time.Duration.ofSeconds(10), d.closeGrace(),
                d.quietFlush(), d.metricsLateness());
        List<DynamicTest> tests = new ArrayList<>();
        long[] updatesSeen = new long[1];
        for (String file : SharedPcaps.reference().keySet()) {
            tests.add(DynamicTest.dynamicTest(file, () -> {
                List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(file), 0);
                Map<String, List<FlowRecord>> a = byFlow(CaptureFlows.run(packets, tenSeconds, 0,
                        FlowSource.PACKETS).flows());
                Map<String, List<FlowRecord>> b = byFlow(CaptureFlows.run(packets, tenSeconds, 0,
                        FlowSource.FLOW_UPDATES).flows());
                assertEquals(a.keySet(), b.keySet(), "the same flows");
                for (Map.Entry<String, List<FlowRecord>> e : b.entrySet()) {
                    List<FlowRecord> records = e.getValue();
                    FlowRecord last = records.get(records.size() - 1);
                    assertEquals(FlowRecord.FINAL, last.recordType(), e.getKey() + " ends with its final record");
                    assertEquals(records.size() - 1, last.updateSeq(), e.getKey() + " counts its updates");
                    List<FlowRecord> packetRecords = a.get(e.getKey());
                    assertEquals(packetRecords.size(), records.size(), e.getKey() + ": updates");
                    updatesSeen[0] += records.size() - 1;
                    for (int i = 0; i < records.size() - 1; i++) {
                        FlowRecord u = records.get(i);
                        FlowRecord p = packetRecords.get(i);
                        assertEquals(FlowRecord.ACTIVE_TIMEOUT, u.endReason());
                        assertEquals(p.updateSeq(), u.updateSeq());
                        org.junit.jupiter.api.Assertions.assertTrue(u.lastSeen() <= p.lastSeen()
                                && u.origPkts() + u.respPkts() <= p.origPkts() + p.respPkts(),
                                e.getKey() + " update " + i + ": " + u + " against " + p);
                    }
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("some capture has flows longer than 10 s", () ->
                org.junit.jupiter.api.Assertions.assertTrue(updatesSeen[0] > 0, "no update record at all")));
        return tests.stream();
    }

    private static Map<String, List<FlowRecord>> byFlow(List<FlowRecord> records) {
        Map<String, List<FlowRecord>> m = new HashMap<>();
        for (FlowRecord r : records) {
            m.computeIfAbsent(r.flowId(), x -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** Packets, bytes, new flows and per-protocol packets and bytes over the capture, from the minute windows. */
    private static Map<String, Long> totals(List<TrafficMetrics> metrics) {
        Map<Long, TrafficMetrics> latest = new TreeMap<>();
        for (TrafficMetrics m : metrics) {
            if (m.resolution().equals(TrafficMetrics.MINUTE)) {
                latest.put(m.windowStart(), m); // a window republished with late tallies: the last one holds all
            }
        }
        Map<String, Long> t = new HashMap<>();
        for (TrafficMetrics m : latest.values()) {
            t.merge("packets", m.packets(), Long::sum);
            t.merge("bytes", m.bytes(), Long::sum);
            t.merge("new_flows", m.newFlows(), Long::sum);
            m.protocols().forEach((p, c) -> {
                t.merge(p + ".packets", c.packets(), Long::sum);
                t.merge(p + ".bytes", c.bytes(), Long::sum);
            });
        }
        return t;
    }
}
