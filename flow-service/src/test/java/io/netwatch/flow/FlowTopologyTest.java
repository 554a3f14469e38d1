package io.netwatch.flow;

import io.netwatch.records.FlowRecord;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static io.netwatch.records.PacketRecord.ACK;
import static io.netwatch.records.PacketRecord.FIN;
import static io.netwatch.records.PacketRecord.PSH;
import static io.netwatch.records.PacketRecord.RST;
import static io.netwatch.records.PacketRecord.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTopologyTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private static final String C = "10.0.0.2";
    private static final String S = "198.51.100.7";

    private TopologyTestDriver driver;
    private TestInputTopic<String, PacketRecord> packets;
    private TestOutputTopic<String, FlowRecord> flows;
    private TestOutputTopic<String, TrafficMetrics> metrics;

    @BeforeEach
    void start() throws Exception {
        driver = driver(new FlowSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }

    private TopologyTestDriver driver(FlowSettings settings) throws Exception {
        return driver(settings, InputWatch.NONE);
    }

    private TopologyTestDriver driver(FlowSettings settings, InputWatch input) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "flow-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("flow-test").toString());
        TopologyTestDriver d = new TopologyTestDriver(FlowTopology.build(settings, true, FlowTopology.Names.CONTRACT,
                input), props, Instant.ofEpochMilli(0));
        packets = d.createInputTopic(Topics.PACKETS.name(), new StringSerializer(),
                Topics.PACKETS.valueSerde().serializer());
        flows = d.createOutputTopic(Topics.FLOWS.name(), new StringDeserializer(),
                Topics.FLOWS.valueSerde().deserializer());
        metrics = d.createOutputTopic(Topics.METRICS.name(), new StringDeserializer(),
                Topics.METRICS.valueSerde().deserializer());
        return d;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(Packets.Keyed... ps) {
        for (Packets.Keyed p : ps) {
            packets.pipeInput(p.key(), p.value(), p.value().ts() / 1000);
        }
    }

    /** Moves event time on with a packet of an unrelated flow. */
    private void advanceTo(long tsUs) {
        send(Packets.udp(tsUs, "192.0.2.99", 9, "192.0.2.100", 9, 0));
    }

    /** Final records only (the 30 s active timeout of these settings also publishes updates). */
    private List<FlowRecord> ended() {
        return finals().stream().filter(f -> f.recordType().equals(FlowRecord.FINAL)).toList();
    }

    private List<FlowRecord> finals() {
        return flows.readValuesToList().stream().filter(f -> !f.srcIp().startsWith("192.0.2.")).toList();
    }

    @Test
    void handshakeDataAndFinCloseMakeOneFlowEndedByTheFlows() {
        send(Packets.tcp(T0, C, 51000, S, 443, SYN, 0),
                Packets.tcp(T0 + 100, S, 443, C, 51000, SYN | ACK, 0),
                Packets.tcp(T0 + 200, C, 51000, S, 443, ACK, 0),
                Packets.tcp(T0 + 300, C, 51000, S, 443, PSH | ACK, 100),
                Packets.tcp(T0 + 400, S, 443, C, 51000, PSH | ACK, 1000),
                Packets.tcp(T0 + 500, C, 51000, S, 443, FIN | ACK, 0),
                Packets.tcp(T0 + 600, S, 443, C, 51000, FIN | ACK, 0),
                Packets.tcp(T0 + 700, C, 51000, S, 443, ACK, 0));
        assertTrue(finals().isEmpty(), "a closed flow waits its grace period for late packets");
        advanceTo(T0 + 6_000_000);
        List<FlowRecord> out = finals();
        assertEquals(1, out.size(), "both directions are one flow");
        FlowRecord f = out.get(0);
        assertEquals(C, f.srcIp(), "the SYN's sender initiated it");
        assertEquals(443, f.dstPort());
        assertEquals(5, f.origPkts());
        assertEquals(3, f.respPkts());
        assertEquals(100, f.origPayloadBytes());
        assertEquals(1000, f.respPayloadBytes());
        assertEquals(54 * 5 + 100, f.origBytes());
        assertEquals("SF", f.connState());
        assertEquals("closed", f.tcpState());
        assertEquals("ShADdFf", f.history());
        assertEquals(FlowRecord.FINAL, f.recordType());
        assertEquals(FlowRecord.END_OF_FLOW, f.endReason());
        assertEquals(T0, f.ts());
        assertEquals(700, f.durationUs());
        assertEquals("https", f.appProtocol(), "from the port: no TLS record in these packets");
        assertEquals(SYN | ACK | PSH | FIN, f.origTcpFlags());
    }

    @Test
    void aResetAnswerIsARejectedAttempt() {
        send(Packets.tcp(T0, C, 51001, S, 22, SYN, 0), Packets.tcp(T0 + 50, S, 22, C, 51001, RST | ACK, 0));
        advanceTo(T0 + 6_000_000);
        FlowRecord f = finals().get(0);
        assertEquals("REJ", f.connState());
        assertEquals("reset", f.tcpState());
        assertEquals("Sr", f.history());
        assertEquals("ssh", f.appProtocol());
    }

    @Test
    void anUnansweredSynIsAnAttemptEndedByIdleTimeout() {
        send(Packets.tcp(T0, C, 51002, S, 8443, SYN, 0));
        advanceTo(T0 + 59_000_000);
        assertTrue(finals().stream().noneMatch(f -> f.recordType().equals(FlowRecord.FINAL)),
                "not idle for 60 s yet (the 30 s active timeout of these settings publishes an update)");
        advanceTo(T0 + 61_000_000);
        FlowRecord f = finals().get(0);
        assertEquals("S0", f.connState());
        assertEquals("attempted", f.tcpState());
        assertEquals(FlowRecord.IDLE_TIMEOUT, f.endReason());
    }

    @Test
    void aReplayOfAnOlderCaptureKeepsItsOwnEventTimeBesideALiveProbe() {
        long live = T0 + 86_400_000_000L * 365;
        send(Packets.tcp("probe-live", 0, live, C, 40000, S, 443, SYN, 0));
        // probe-b replays a capture a year older into the same partition: its 3-minute flow is not idle by the
        // live probe's clock, and the live flow is not aged by the replay
        for (int s = 0; s <= 180; s += 30) {
            send(Packets.tcp("probe-b", 0, T0 + s * 1_000_000L, C, 50000, S, 80, s == 0 ? SYN : ACK, 10));
        }
        assertTrue(ended().isEmpty(), "nothing ends while both probes' flows are active on their own clocks");
        send(Packets.endOfRun("probe-b", T0 + 181_000_000L));
        List<FlowRecord> replayed = ended();
        assertEquals(1, replayed.size(), "the replayed connection is one flow");
        assertEquals(7, replayed.get(0).origPkts());
        assertEquals("probe-b", replayed.get(0).probeId());

        // the same capture replayed again after its end of run: the same flow, not split by the first run's clock
        for (int s = 0; s <= 180; s += 30) {
            send(Packets.tcp("probe-b", 0, T0 + s * 1_000_000L, C, 50000, S, 80, s == 0 ? SYN : ACK, 10));
        }
        send(Packets.endOfRun("probe-b", T0 + 181_000_000L));
        List<FlowRecord> again = ended();
        assertEquals(1, again.size());
        assertEquals(replayed.get(0).flowId(), again.get(0).flowId(), "a replay makes the same flow id");
        assertEquals(7, again.get(0).origPkts());
    }

    @Test
    void aLongFlowPublishesUpdatesAtEachActiveTimeoutThenOneFinal() {
        for (int s = 0; s <= 70; s += 10) {
            send(Packets.udp(T0 + s * 1_000_000L, C, 5000, S, 5001, 10));
        }
        List<FlowRecord> updates = finals();
        assertEquals(2, updates.size(), "updates at 30 s and 60 s");
        assertEquals(FlowRecord.UPDATE, updates.get(0).recordType());
        assertEquals(FlowRecord.ACTIVE_TIMEOUT, updates.get(0).endReason());
        assertEquals(0, updates.get(0).updateSeq());
        assertEquals(1, updates.get(1).updateSeq());
        assertEquals(4, updates.get(0).origPkts(), "totals so far: packets at 0, 10, 20, 30 s");
        advanceTo(T0 + 140_000_000L);
        List<FlowRecord> last = finals();
        assertEquals(1, last.size());
        assertEquals(FlowRecord.FINAL, last.get(0).recordType());
        assertEquals(8, last.get(0).origPkts());
        assertEquals(updates.get(0).flowId(), last.get(0).flowId(), "one flow id through its updates");
        assertEquals("S0", last.get(0).connState(), "UDP with no answer");
    }

    @Test
    void outOfOrderPacketsKeepTheEarliestFirstSeen() {
        send(Packets.udp(T0 + 2_000_000, C, 5353, S, 53, 30),
                Packets.udp(T0, C, 5353, S, 53, 30),
                Packets.udp(T0 + 1_000_000, S, 53, C, 5353, 80));
        send(Packets.endOfRun(Packets.PROBE, T0 + 3_000_000));
        FlowRecord f = finals().get(0);
        assertEquals(T0, f.ts());
        assertEquals(2_000_000, f.durationUs());
        assertEquals("SF", f.connState(), "UDP answered");
        assertEquals(FlowRecord.FORCED_END, f.endReason());
    }

    @Test
    void vlansSeparateFlowsWithTheSameAddressesAndPorts() {
        send(Packets.tcp(Packets.PROBE, 10, T0, C, 40000, S, 80, SYN, 0),
                Packets.tcp(Packets.PROBE, 20, T0 + 10, C, 40000, S, 80, SYN, 0));
        send(Packets.endOfRun(Packets.PROBE, T0 + 1_000_000));
        List<FlowRecord> out = finals();
        assertEquals(2, out.size());
        assertEquals(java.util.Set.of(10, 20), java.util.Set.of(out.get(0).vlan(), out.get(1).vlan()));
    }

    @Test
    void icmpEchoRequestAndReplyAreOneFlowStartedByTheRequester() {
        send(Packets.icmpEcho(T0 + 500, S, C, 0, 77), Packets.icmpEcho(T0, C, S, 8, 77));
        send(Packets.endOfRun(Packets.PROBE, T0 + 1_000_000));
        List<FlowRecord> out = finals();
        assertEquals(1, out.size());
        assertEquals(C, out.get(0).srcIp(), "a reply seen first still names the requester as initiator");
        assertEquals(1, out.get(0).origPkts());
        assertEquals(1, out.get(0).respPkts());
        assertEquals("SF", out.get(0).connState(), "answered");
    }

    @Test
    void ipv6FlowsAreTracked() {
        send(Packets.tcp(T0, "2001:db8::2", 50000, "2001:db8::1", 443, SYN, 0),
                Packets.tcp(T0 + 10, "2001:db8::1", 443, "2001:db8::2", 50000, SYN | ACK, 0));
        send(Packets.endOfRun(Packets.PROBE, T0 + 1_000_000));
        FlowRecord f = finals().get(0);
        assertEquals("2001:db8::2", f.srcIp());
        assertEquals("S1", f.connState());
    }

    @Test
    void aSynAckSeenFirstMakesItsReceiverTheInitiator() {
        send(Packets.tcp(T0, S, 443, C, 51003, SYN | ACK, 0), Packets.tcp(T0 + 10, C, 51003, S, 443, ACK, 0));
        send(Packets.endOfRun(Packets.PROBE, T0 + 1_000_000));
        FlowRecord f = finals().get(0);
        assertEquals(C, f.srcIp());
        assertEquals(443, f.dstPort());
        assertEquals("OTH", f.connState(), "no SYN seen");
    }

    @Test
    void theEndOfOneProbesRunEndsOnlyThatProbesFlows() {
        send(Packets.tcp("probe-a", 0, T0, C, 40001, S, 80, SYN, 0),
                Packets.tcp("probe-b", 0, T0, C, 40001, S, 80, SYN, 0));
        send(Packets.endOfRun("probe-a", T0 + 1_000_000));
        List<FlowRecord> out = finals();
        assertEquals(1, out.size());
        assertEquals("probe-a", out.get(0).probeId());
        assertEquals(FlowRecord.FORCED_END, out.get(0).endReason());
    }

    @Test
    void metricsCountPacketsBytesProtocolsAndTalkersPerSecondAndMinute() {
        send(Packets.tcp(T0, C, 40002, S, 80, SYN, 0),
                Packets.tcp(T0 + 10, S, 80, C, 40002, SYN | ACK, 0),
                Packets.udp(T0 + 20, C, 5353, "8.8.8.8", 53, 40),
                Packets.udp(T0 + 1_000_000, C, 5353, "8.8.8.8", 53, 40));
        advanceTo(T0 + 10_000_000);
        // The aggregator's event time moves with the tallies it receives, and the test driver runs its punctuation
        // when the next tally comes: two more seconds of traffic.
        advanceTo(T0 + 20_000_000);
        advanceTo(T0 + 30_000_000);
        List<TrafficMetrics> out = metrics.readValuesToList();
        TrafficMetrics first = out.stream().filter(m -> m.resolution().equals("1s") && m.windowStart() == T0)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(3, first.packets());
        assertEquals(54 + 54 + 82, first.bytes());
        assertEquals(2, first.protocols().get("tcp").packets());
        assertEquals(1, first.protocols().get("udp").packets());
        assertEquals(2, first.newFlows());
        assertEquals(C, first.topSources().get(0).ip(), "the client sent the most bytes");
        assertEquals(54 + 82, first.topSources().get(0).bytes());
        assertEquals("dns", first.appProtocols().keySet().stream().filter(k -> k.equals("dns")).findFirst().orElse(""));
        assertTrue(first.activeFlows() >= 2);
        assertTrue(out.stream().noneMatch(m -> m.resolution().equals("1m")), "the minute is not over in event time");
        driver.advanceWallClockTime(Duration.ofSeconds(5)); // ... but no tally came for a while: publish it
        TrafficMetrics minute = metrics.readValuesToList().stream().filter(m -> m.resolution().equals("1m"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(Math.floorDiv(T0, 60_000_000L) * 60_000_000L, minute.windowStart());
        assertTrue(minute.packets() >= 4, "the minute holds both seconds: " + minute);
    }

    @Test
    void aQuietProbePublishesItsLastWindowsByTheWallClock() {
        send(Packets.udp(T0, C, 5353, "8.8.8.8", 53, 40));
        driver.advanceWallClockTime(Duration.ofSeconds(70));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        List<TrafficMetrics> out = metrics.readValuesToList();
        assertTrue(out.stream().anyMatch(m -> m.resolution().equals("1s") && m.packets() == 1), "1 s window: " + out);
        List<FlowRecord> ended = finals().stream().filter(f -> f.recordType().equals(FlowRecord.FINAL)).toList();
        assertEquals(1, ended.size(), "and the quiet partition's flow ended with the clock");
        assertEquals(FlowRecord.IDLE_TIMEOUT, ended.get(0).endReason());
    }

    /** A broker away for longer than the idle timeout is not a quiet link: the flow goes on as one. */
    @Test
    void aBrokerAwayLongerThanTheIdleTimeoutEndsNoFlow() throws Exception {
        driver.close();
        StreamsMetricsSample sample = new StreamsMetricsSample();
        InputWatch input = new InputWatch(Duration.ofSeconds(7));
        input.watch(sample::all);
        driver = driver(new FlowSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(2)), input);
        send(Packets.udp(T0, C, 5353, "8.8.8.8", 53, 40));
        sample.connections(0);
        driver.advanceWallClockTime(Duration.ofSeconds(100));
        sample.connections(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        send(Packets.udp(T0 + 1_000_000, C, 5353, "8.8.8.8", 53, 40));
        send(Packets.endOfRun(Packets.PROBE, T0 + 2_000_000));
        List<FlowRecord> ended = ended();
        assertEquals(1, ended.size(), "one flow across the outage: " + ended);
        assertEquals(2, ended.get(0).origPkts(), "both packets in it");
    }
}
