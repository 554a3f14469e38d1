package io.netwatch.detection;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.flow.RestartableStreams;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowSource;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A restart in the middle of a scan, on a new machine (empty state directory, so the connection attempts, the
 * open windows and the open alerts come back from their changelogs), neither loses nor repeats what the rules
 * counted: the scan's window ends with every port probed, in one alert.
 */
class DetectionRestartTest {
    private static final String SCANNER = "172.31.15.102";
    private static final String TARGET = "198.124.152.15";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final DetectionTopology.Names names = new DetectionTopology.Names("drestart-" + run + ".packets",
            "drestart-" + run + ".packet-batches", "drestart-" + run + ".flows", "drestart-" + run + ".observations", "drestart-" + run + ".hits",
            "drestart-" + run + ".alerts", "drestart-" + run + ".flow-updates");

    @Test
    void aRestartMidScanNeitherLosesNorRepeatsWhatTheRulesCounted() throws Exception {
        restartMidScan(FlowSource.PACKETS);
    }

    /**
     * The same from a probe's flow updates and the packets {@code packet-filter=rules} keeps: the scan's attempts
     * wait for their outcome in the flow progress store, which a restart restores too.
     */
    @Test
    void aRestartMidScanFromFlowUpdatesNeitherLosesNorRepeatsWhatTheRulesCounted() throws Exception {
        restartMidScan(FlowSource.FLOW_UPDATES);
    }

    private void restartMidScan(FlowSource source) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        List<Topic<?, ?>> topics = new ArrayList<>();
        for (String name : List.of(names.packets(), names.packetBatches(), names.flows(), names.observations(), names.hits(),
                names.alerts(), names.flowUpdates())) {
            topics.add(new Topic<>(name, null, null, false, 0, 0));
        }
        TopicSetup.ensure(bootstrap, 3, (short) 1, topics);
        List<PacketRecordFactory.Keyed> packets = new ArrayList<>(CapturePackets.of(
                SharedPcaps.file("attacks/masscan-tcp-ports-0-1000.pcap"), CaptureAlerts.PAYLOAD_HEAD));
        long probed = packets.stream().map(PacketRecordFactory.Keyed::record)
                .filter(p -> SCANNER.equals(p.srcIp()) && p.tcpFlags() != null && p.tcpFlags() == PacketRecord.SYN)
                .map(PacketRecord::dstPort).distinct().count();
        long last = packets.get(packets.size() - 1).record().ts();
        int half = packets.size() / 2;
        ProbeOutput probe = new ProbeOutput(source, names);
        List<PacketRecordFactory.Keyed> rest = new ArrayList<>(packets.subList(half, packets.size()));
        rest.add(new PacketRecordFactory.Keyed("end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file",
                last)));

        KafkaStreams first = start(bootstrap, source);
        probe.send(bootstrap, packets.subList(0, half));
        PacketTopicWriter.awaitCaughtUp(bootstrap, "drestart-" + run, names.packets(), Duration.ofSeconds(60));
        if (source == FlowSource.FLOW_UPDATES) {
            PacketTopicWriter.awaitCaughtUp(bootstrap, "drestart-" + run, names.flowUpdates(), Duration.ofSeconds(60));
        }
        RestartableStreams.stop(first);

        KafkaStreams second = start(bootstrap, source); // new state directory: restores from the changelogs
        probe.send(bootstrap, rest);
        // all of it counted before event time jumps: the jump must not overtake a partition still replaying
        PacketTopicWriter.awaitCaughtUp(bootstrap, "drestart-" + run, names.packets(), Duration.ofSeconds(60));
        if (source == FlowSource.FLOW_UPDATES) {
            PacketTopicWriter.awaitCaughtUp(bootstrap, "drestart-" + run, names.flowUpdates(), Duration.ofSeconds(60));
        }
        PacketTopicWriter.awaitCaughtUp(bootstrap, "drestart-" + run, names.observations(), Duration.ofSeconds(60));
        PacketTopicWriter.send(bootstrap, names.packets(), 3, Packets.windowClosers(CapturePackets.PROBE, last + 120_000_000, 3));

        Topic<String, Alert> alerts = new Topic<>(names.alerts(), Topics.ALERTS.keySerde(),
                Topics.ALERTS.valueSerde(), false, 0, 0);
        List<ConsumerRecord<String, Alert>> records = List.of();
        long deadline = System.currentTimeMillis() + 90_000;
        long distinct = 0;
        while (distinct < probed && System.currentTimeMillis() < deadline) {
            records = TopicReader.read(bootstrap, alerts, r -> r.value().rule().equals("port_scan"), 1,
                    Duration.ofSeconds(3));
            distinct = records.isEmpty() ? 0
                    : ((Number) records.get(records.size() - 1).value().evidence().get("distinct")).longValue();
        }
        RestartableStreams.stop(second);

        Map<String, Alert> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(r.value().alertId(), r.value()));
        assertEquals(1, latest.size(), "one scan, one alert across the restart: " + latest.values());
        Alert scan = latest.values().iterator().next();
        assertEquals(SCANNER, scan.srcIp());
        assertEquals(TARGET, scan.dstIp());
        assertEquals(probed, ((Number) scan.evidence().get("distinct")).longValue(),
                "every port masscan probed counted once, before and after the restart");
        // what the inspectors passed on, read committed to its end (one more than expected: a repeat would show)
        Topic<String, Observation> observations = new Topic<>(names.observations(), Topics.ALERTS.keySerde(),
                Observation.SERDE, false, 0, 0);
        long attempts = TopicReader.read(bootstrap, observations, r -> r.value().rule().equals("connection_flood")
                        && r.value().entity().equals(SCANNER + ">" + TARGET), (int) probed + 1, Duration.ofSeconds(5))
                .stream().mapToLong(r -> r.value().amount()).sum();
        assertEquals(probed, attempts, "each connection attempt of the scan observed once across the restart");
    }

    private KafkaStreams start(String bootstrap, FlowSource source) throws Exception {
        return RestartableStreams.start(DetectionTopology.build(DetectionSettings.defaults().withSource(source), true,
                names), "drestart-" + run, bootstrap);
    }
}
