package io.netwatch.detection;

import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowSource;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.netwatch.detection.Packets.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every rule test of {@link DetectionRulesTest}, on what a probe with {@code flow-updates=true} and
 * {@code packet-filter=rules} publishes: connection attempts, reflections, sweeps, Telnet servers and volumes read
 * from its flow updates, the per-packet rules from the packets it still sends.
 */
class DetectionRulesFromFlowUpdatesTest extends DetectionRulesTest {
    @Override
    FlowSource source() {
        return FlowSource.FLOW_UPDATES;
    }

    /**
     * The run's end marker (on the packets topic) read before the last updates of its flows (on the flow-updates
     * topic): each attempt still counts once, its flow's end is not taken for a new flow.
     */
    @Test
    void aMarkerReadBeforeTheFlowsEndsCountsEachAttemptOnce() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            for (int i = 0; i < 250; i++) {
                PacketRecordFactory.Keyed syn = Packets.tcp(at(i * 0.01), "198.51.100.7", 20000 + i, "10.1.0.5", 443,
                        PacketRecord.SYN);
                d.packet(syn.key(), syn.record());
            }
            d.endOfRunAheadOfFlowEnds("end/r", PacketRecord.endOfRun("r", Packets.PROBE, "eth0", at(3)));
            List<Alert> alerts = d.alerts(Duration.ofMinutes(1));
            Alert flood = alerts.stream().filter(a -> a.rule().equals("connection_flood")).findFirst().orElseThrow();
            assertEquals(250L, ((Number) flood.evidence().get("count")).longValue(), "each connection once: " + alerts);
            Alert synFlood = alerts.stream().filter(a -> a.rule().equals("syn_flood")).findFirst().orElseThrow();
            assertEquals(250L, ((Number) synFlood.evidence().get("count")).longValue(), "each failure once");
        }
    }

    /**
     * Updates carry what their flow added, so the progress store keeps only flows whose connection attempt waits
     * for its outcome: a completed handshake's flow leaves it with the update that shows the completion, an
     * unanswered SYN's when its deadline fails it, and a flow that talks on for seconds is never written.
     */
    @Test
    void onlyFlowsWhoseAttemptWaitsAreStored() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            String client = "10.1.0.9";
            String server = "10.1.0.5";
            d.packet(Packets.tcp(at(0), client, 40000, server, 443, PacketRecord.SYN).key(),
                    Packets.tcp(at(0), client, 40000, server, 443, PacketRecord.SYN).record());
            PacketRecordFactory.Keyed lone = Packets.tcp(at(0.1), client, 40001, server, 8443, PacketRecord.SYN);
            d.packet(lone.key(), lone.record());
            assertEquals(2, d.storedKeys(DetectionTopology.PROGRESS_STORE).size(), "two attempts wait");
            for (PacketRecordFactory.Keyed k : List.of(
                    Packets.tcp(at(0.2), server, 443, client, 40000, PacketRecord.SYN | PacketRecord.ACK),
                    Packets.tcp(at(0.3), client, 40000, server, 443, PacketRecord.ACK))) {
                d.packet(k.key(), k.record());
            }
            // the probe's next update of the first flow (an update interval on) shows the handshake completed
            for (int i = 0; i < 60; i++) {
                PacketRecordFactory.Keyed data = Packets.tcp(at(1.3 + i * 0.1), client, 40000, server, 443,
                        PacketRecord.ACK | PacketRecord.PSH, 1000);
                d.packet(data.key(), data.record());
                if (i == 5) {
                    List<String> kept = d.storedKeys(DetectionTopology.PROGRESS_STORE);
                    assertEquals(1, kept.size(), "the completed handshake's flow is gone: " + kept);
                    assertEquals(true, kept.get(0).endsWith(lone.key()), kept.toString());
                }
            }
            // the lone SYN's deadline (the handshake timeout) has passed in event time: failed, and gone
            assertEquals(List.of(), d.storedKeys(DetectionTopology.PROGRESS_STORE));
        }
    }

    /** Brute force and beaconing take finished flows from the probes' end updates: the flow-service is not waited for. */
    @Test
    void finishedFlowsComeFromTheProbesEndUpdatesAndTheFlowsTopicIsNotRead() {
        java.util.Set<String> read = new java.util.TreeSet<>();
        for (TopologyDescription.Subtopology st : DetectionTopology.build(defaults()).describe().subtopologies()) {
            for (TopologyDescription.Node n : st.nodes()) {
                if (n instanceof TopologyDescription.Source src) {
                    read.addAll(src.topicSet());
                }
            }
        }
        assertEquals(false, read.contains(Topics.FLOWS.name()), read.toString());
        assertEquals(true, read.contains(Topics.FLOW_UPDATES.name()), read.toString());
    }
}
