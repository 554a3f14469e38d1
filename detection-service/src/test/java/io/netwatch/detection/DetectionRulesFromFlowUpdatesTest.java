package io.netwatch.detection;

import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowSource;
import io.netwatch.records.PacketRecord;
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
}
