package io.netwatch.flow;

import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowUpdate;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe's flow table and the flow-service split every shared capture into the same flows: the {@code end}
 * updates of a {@link FlowCache} fed the capture's packet records (one lane, as a probe with one encoder thread)
 * are the {@code final} records of the flow topology for the same records, field by field, end reason included.
 * That is what lets a consumer read netwatch.flow-updates.v1 instead of every packet. The timeouts are the
 * defaults, so the captures longer than a minute exercise idle expiry and port reuse on both sides.
 */
class FlowUpdateEquivalenceTest {
    private static final Comparator<FlowRecord> ORDER = Comparator.comparingLong(FlowRecord::ts)
            .thenComparing(FlowRecord::communityId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(FlowRecord::vlan).thenComparingLong(FlowRecord::lastSeen);

    @TestFactory
    Stream<DynamicTest> endUpdatesAreTheFlowServicesFinalRecords() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : SharedPcaps.reference().keySet()) {
            tests.add(DynamicTest.dynamicTest(file, () -> {
                List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(file), 0);
                List<FlowRecord> service = CaptureFlows.of(packets, FlowSettings.defaults()).stream()
                        .map(FlowUpdateEquivalenceTest::comparable).sorted(ORDER).toList();
                List<FlowUpdate> updates = updates(packets, Duration.ofSeconds(1));
                List<FlowRecord> probe = updates.stream().filter(u -> u.state().equals(FlowUpdate.END))
                        .map(FlowUpdateEquivalenceTest::asFinal).sorted(ORDER).toList();
                assertEquals(service.size(), probe.size(), "flows");
                for (int i = 0; i < service.size(); i++) {
                    assertEquals(service.get(i), probe.get(i), "flow " + i);
                }
                checkSequence(updates);
            }));
        }
        return tests.stream();
    }

    static List<FlowUpdate> updates(List<PacketRecordFactory.Keyed> packets, Duration interval) {
        List<FlowUpdate> out = new ArrayList<>();
        FlowCache cache = new FlowCache("run", FlowSettings.defaults().timeouts(), interval, (k, u) -> {
            assertEquals(k, u.flowKey(), "keyed by its flow key");
            // the flow-service's update store keeps updates in their compact form: every one comes back the same
            assertEquals(u, FlowUpdate.fromBytes(u.toBytes()), "compact form");
            // and consumers read them through the hand-written JSON reader: every one comes back the same too
            assertEquals(u, io.netwatch.records.Topics.FLOW_UPDATES.valueSerde().deserializer().deserialize("t",
                    io.netwatch.records.Topics.FLOW_UPDATES.valueSerde().serializer().serialize("t", u)), "JSON");
            out.add(u);
        });
        for (PacketRecordFactory.Keyed k : packets) {
            cache.add(k.key(), k.record());
        }
        cache.endAll();
        assertEquals(0, cache.size(), "every flow ended");
        return out;
    }

    /**
     * Each flow's updates: one start first, one end last, sequence numbers counting up from 0, totals that never
     * fall, and no two updates closer than the interval (in the packets' time) except the end.
     */
    static void checkSequence(List<FlowUpdate> updates) {
        Map<String, FlowUpdate> open = new HashMap<>();
        for (FlowUpdate u : updates) {
            String flow = u.flowKey() + "@" + u.ts();
            FlowUpdate before = open.get(flow);
            if (u.state().equals(FlowUpdate.START)) {
                assertEquals(null, before, flow + " starts once");
                assertEquals(0, u.updateSeq(), flow);
            } else {
                assertNotNull(before, flow + " started before " + u.state());
                assertEquals(before.updateSeq() + 1, u.updateSeq(), flow);
                assertTrue(u.origPkts() + u.respPkts() >= before.origPkts() + before.respPkts(), flow);
                assertTrue(u.lastSeen() >= before.lastSeen(), flow);
                if (u.state().equals(FlowUpdate.ACTIVE)) {
                    assertTrue(u.origPkts() + u.respPkts() > before.origPkts() + before.respPkts(),
                            flow + ": an active update only for a flow that changed");
                }
            }
            if (u.state().equals(FlowUpdate.END)) {
                assertNotNull(u.endReason(), flow);
                open.remove(flow);
            } else {
                open.put(flow, u);
            }
        }
        assertEquals(Map.of(), open, "flows without an end");
    }

    /** What both sides must agree on: everything but the record's kind and the service's own bookkeeping. */
    private static FlowRecord comparable(FlowRecord r) {
        return new FlowRecord(null, r.probeId(), r.ts(), r.lastSeen(), r.durationUs(), FlowRecord.FINAL,
                r.endReason(), 0, r.ipProto(), r.transport(), r.vlan(), r.srcIp(), r.srcPort(), r.dstIp(),
                r.dstPort(), r.communityId(), r.appProtocol(), r.origPkts(), r.origBytes(), r.origPayloadBytes(),
                r.respPkts(), r.respBytes(), r.respPayloadBytes(), r.origTcpFlags(), r.respTcpFlags(),
                r.connState(), null, r.history(), r.icmpType(), r.icmpCode(), r.dnsQueries(), r.httpHosts(),
                r.tlsSni());
    }

    private static FlowRecord asFinal(FlowUpdate u) {
        return new FlowRecord(null, u.probeId(), u.ts(), u.lastSeen(), u.lastSeen() - u.ts(), FlowRecord.FINAL,
                u.endReason(), 0, u.ipProto(), u.transport(), u.vlan(), u.srcIp(), u.srcPort(), u.dstIp(),
                u.dstPort(), u.communityId(), u.appProtocol(), u.origPkts(), u.origBytes(), u.origPayloadBytes(),
                u.respPkts(), u.respBytes(), u.respPayloadBytes(), u.origTcpFlags(), u.respTcpFlags(),
                u.connState(), null, u.history(), u.icmpType(), u.icmpCode(), u.dnsQueries(), u.httpHosts(),
                u.tlsSni());
    }
}
