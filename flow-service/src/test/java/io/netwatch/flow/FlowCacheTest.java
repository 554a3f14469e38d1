package io.netwatch.flow;

import io.netwatch.probe.flows.FlowCache;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowUpdate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the probe's flow table reports a flow: at its start, at most once per interval, and at its end. */
class FlowCacheTest {
    private static final long S = 1_000_000L;
    private static final int SYN = 2;
    private static final int ACK = 16;
    private static final int FIN = 1;

    private final List<FlowUpdate> out = new ArrayList<>();
    private final FlowCache cache = new FlowCache("run", FlowSettings.defaults().timeouts(), Duration.ofSeconds(1),
            (k, u) -> out.add(u));

    private void add(Packets.Keyed k) {
        cache.add(k.key(), k.value());
    }

    private List<String> states(String srcIp) {
        return out.stream().filter(u -> u.srcIp().equals(srcIp)).map(FlowUpdate::state).toList();
    }

    @Test
    void aFlowStartsWithItsFirstPacketAndReportsOncePerIntervalWhileBusy() {
        add(Packets.udp(0, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        assertEquals(List.of(FlowUpdate.START), states("10.0.0.1"), "at once, with the first packet");
        assertEquals(1, out.get(0).origPkts());
        for (int i = 1; i < 50; i++) {
            add(Packets.udp(i * S / 10, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        }
        // packets every 100 ms for 4.9 s: an update at 1, 2, 3 and 4 s
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.ACTIVE, FlowUpdate.ACTIVE, FlowUpdate.ACTIVE,
                FlowUpdate.ACTIVE), states("10.0.0.1"));
        assertEquals(List.of(0L, S, 2 * S, 3 * S, 4 * S), out.stream().map(FlowUpdate::lastSeen).toList());
        assertEquals(41, out.get(4).origPkts(), "totals since the start");
        cache.endAll();
        FlowUpdate end = out.get(out.size() - 1);
        assertEquals(FlowUpdate.END, end.state());
        assertEquals(FlowRecord.FORCED_END, end.endReason());
        assertEquals(50, end.origPkts());
        assertEquals(5, end.updateSeq());
        // each record says what the flow added since the one before (the start: its first packet)
        assertEquals(List.of(1L, 10L, 10L, 10L, 10L, 9L), out.stream().map(FlowUpdate::origPktsDelta).toList());
        assertEquals(List.of(82L, 820L, 820L, 820L, 820L, 738L),
                out.stream().map(FlowUpdate::origBytesDelta).toList());
        assertEquals(50, out.stream().mapToLong(FlowUpdate::origPktsDelta).sum(), "the deltas sum to the total");
    }

    @Test
    void aFlowThatChangedReportsWhenItsIntervalPassesInOtherFlowsTimeAndAQuietOneDoesNot() {
        add(Packets.udp(0, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        add(Packets.udp(S / 2, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        add(Packets.udp(0, "10.0.0.3", 5000, "10.0.0.2", 53, 40));
        for (int i = 1; i <= 40; i++) {
            add(Packets.udp(i * S / 4, "10.0.0.5", 6000, "10.0.0.2", 53, 40));
        }
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.ACTIVE), states("10.0.0.1"),
                "its second packet reported once its interval passed");
        assertEquals(2, out.stream().filter(u -> u.srcIp().equals("10.0.0.1")).toList().get(1).origPkts());
        assertEquals(List.of(FlowUpdate.START), states("10.0.0.3"), "one packet, nothing more to say");
    }

    @Test
    void anIdleFlowEndsByItsIdleTimeoutInEventTime() {
        add(Packets.udp(0, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        add(Packets.udp(59 * S, "10.0.0.3", 5000, "10.0.0.2", 53, 40));
        assertEquals(List.of(FlowUpdate.START), states("10.0.0.1"), "59 s idle: not yet");
        add(Packets.udp(61 * S, "10.0.0.3", 5000, "10.0.0.2", 53, 40));
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.END), states("10.0.0.1"));
        assertEquals(FlowRecord.IDLE_TIMEOUT, out.stream().filter(u -> u.srcIp().equals("10.0.0.1")
                && u.state().equals(FlowUpdate.END)).findFirst().orElseThrow().endReason());
        assertEquals(1, cache.size());
    }

    @Test
    void aQuietLinkAgesItsFlowsWithTheClockItIsMovedTo() {
        add(Packets.udp(0, "10.0.0.1", 5000, "10.0.0.2", 53, 40));
        cache.advanceTo(30 * S);
        assertEquals(List.of(FlowUpdate.START), states("10.0.0.1"));
        cache.advanceTo(60 * S);
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.END), states("10.0.0.1"));
        assertEquals(0, cache.size());
    }

    @Test
    void aClosedConnectionEndsAfterTheGraceWithItsConnState() {
        add(Packets.tcp(0, "10.0.0.1", 40000, "10.0.0.2", 80, SYN, 0));
        add(Packets.tcp(1000, "10.0.0.2", 80, "10.0.0.1", 40000, SYN | ACK, 0));
        add(Packets.tcp(2000, "10.0.0.1", 40000, "10.0.0.2", 80, ACK, 0));
        add(Packets.tcp(3000, "10.0.0.1", 40000, "10.0.0.2", 80, FIN | ACK, 0));
        add(Packets.tcp(4000, "10.0.0.2", 80, "10.0.0.1", 40000, FIN | ACK, 0));
        add(Packets.tcp(5000, "10.0.0.1", 40000, "10.0.0.2", 80, ACK, 0));
        add(Packets.udp(4 * S, "10.0.0.9", 5000, "10.0.0.2", 53, 40));
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.ACTIVE), states("10.0.0.1"),
                "its packets after the first reported a second on; it ends only after the grace");
        add(Packets.udp(6 * S, "10.0.0.9", 5000, "10.0.0.2", 53, 40));
        assertEquals(List.of(FlowUpdate.START, FlowUpdate.ACTIVE, FlowUpdate.END), states("10.0.0.1"));
        FlowUpdate end = out.stream().filter(u -> u.srcIp().equals("10.0.0.1")).toList().get(2);
        assertEquals(FlowRecord.END_OF_FLOW, end.endReason());
        assertEquals("SF", end.connState());
        assertEquals(SYN, end.firstTcpFlags());
        assertEquals(6, end.origPkts() + end.respPkts());
        List<FlowUpdate> mine = out.stream().filter(u -> u.srcIp().equals("10.0.0.1")).toList();
        assertEquals(List.of("S", "hAFf", ""), mine.stream().map(FlowUpdate::historyAdded).toList(),
                "the history letters first seen since the record before");
        assertEquals(List.of(0L, 2L, 0L), mine.stream().map(FlowUpdate::respPktsDelta).toList());
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new FlowCache("run",
                FlowSettings.defaults().timeouts(), Duration.ZERO, (k, u) -> { }));
    }
}
