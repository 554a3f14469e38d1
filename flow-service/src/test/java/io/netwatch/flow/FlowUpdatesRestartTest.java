package io.netwatch.flow;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * From flow updates, on the real broker: a flow-service restarted in the middle of a capture, on a new machine
 * (its update store restored from the changelog), neither loses nor doubles a flow, and its minute metrics count
 * every frame of the capture once: the stopped instance drained its open tallies before it closed
 * ({@link StreamsDrain}, as the service does on shutdown). Without the drain they were lost (19 packets here, and
 * 201 of the 431 on the packet path), since Kafka Streams 4.1 commits a task before it closes its processors.
 */
class FlowUpdatesRestartTest {
    private static final String CAPTURE = "attacks/nmap-port80-aggressive.pcap";
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final FlowTopology.Names names = new FlowTopology.Names("updates-" + run + ".packets",
            "updates-" + run + ".packet-batches", "updates-" + run + ".flows", "updates-" + run + ".metrics",
            "updates-" + run + ".tallies", "updates-" + run + ".flow-updates");

    @Test
    void aRestartMidCaptureNeitherLosesNorDoublesFlowsFromUpdates() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(
                new Topic<>(names.packets(), null, null, false, 0, 0),
                new Topic<>(names.packetBatches(), null, null, false, 0, 0),
                new Topic<>(names.flows(), null, null, false, 0, 0),
                new Topic<>(names.metrics(), null, null, false, 0, 0),
                new Topic<>(names.tallies(), null, null, false, 0, 0),
                new Topic<>(names.flowUpdates(), null, null, false, 0, 0)));
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(CAPTURE), 0);
        int half = packets.size() / 2;
        List<List<ProducerRecord<String, FlowUpdate>>> updates = List.of(new ArrayList<>(), new ArrayList<>());
        int[] part = {0};
        FlowCache cache = new FlowCache("run", FlowSettings.defaults().timeouts(), Duration.ofSeconds(1),
                (k, u) -> updates.get(part[0]).add(new ProducerRecord<>(names.flowUpdates(), null,
                        Math.max(0, u.lastSeen() / 1000), k, u)));
        for (int i = 0; i < packets.size(); i++) {
            part[0] = i < half ? 0 : 1;
            cache.add(packets.get(i).key(), packets.get(i).record());
        }
        cache.endAll();

        StreamsDrain firstDrain = new StreamsDrain();
        KafkaStreams first = start(bootstrap, firstDrain);
        PacketTopicWriter.send(bootstrap, Topics.FLOW_UPDATES.valueSerde().serializer(), updates.get(0));
        PacketTopicWriter.send(bootstrap, names.packets(), 3, packets.subList(0, half));
        PacketTopicWriter.awaitConsumed(bootstrap, "updates-test-" + run, names.flowUpdates(), updates.get(0).size(),
                Duration.ofSeconds(60));
        PacketTopicWriter.awaitConsumed(bootstrap, "updates-test-" + run, names.packets(), half,
                Duration.ofSeconds(60));
        firstDrain.beginAndWait();
        RestartableStreams.stop(first);

        KafkaStreams second = start(bootstrap, new StreamsDrain()); // new state directory: restores from the changelog
        PacketTopicWriter.send(bootstrap, Topics.FLOW_UPDATES.valueSerde().serializer(), updates.get(1));
        PacketTopicWriter.send(bootstrap, names.packets(), 3, packets.subList(half, packets.size()));
        long last = packets.get(packets.size() - 1).record().ts();
        PacketTopicWriter.send(bootstrap, names.packets(), 3, List.of(new PacketRecordFactory.Keyed("end/run",
                PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last))));
        List<FlowRecord> flows = FlowOutputs.read(bootstrap, "reader-" + run + "-flows", names.flows(), Topics.FLOWS,
                l -> l.stream()
                .filter(f -> f.ipProto() == 6 && f.recordType().equals(FlowRecord.FINAL)).count() >= 35);
        List<TrafficMetrics> metrics = FlowOutputs.read(bootstrap, "reader-" + run + "-metrics", names.metrics(),
                Topics.METRICS, l -> FlowOutputs.minutePackets(l) >= packets.size());
        RestartableStreams.stop(second);

        List<FlowRecord> finals = flows.stream().filter(f -> f.recordType().equals(FlowRecord.FINAL)).toList();
        assertEquals(finals.size(), finals.stream().map(FlowRecord::flowId).distinct().count(), "no flow twice");
        assertEquals(35, finals.stream().filter(f -> f.ipProto() == 6).count(), "tshark's 35 TCP conversations");
        long flowPackets = packets.stream().filter(k -> io.netwatch.records.FlowState.carriesFlow(k.key(), k.record()))
                .count();
        assertEquals(flowPackets, finals.stream().mapToLong(FlowRecord::totalPkts).sum(),
                "every packet of a flow counted once across the restart");
        String windows = metrics.stream().map(m -> m.resolution() + "@" + m.windowStart() + "=" + m.packets())
                .toList().toString();
        assertEquals(packets.size(), FlowOutputs.minutePackets(metrics), "the minute metrics count every frame once ("
                + (packets.size() - flowPackets) + " of them in no flow): " + windows);
    }

    private KafkaStreams start(String bootstrap, StreamsDrain drain) throws Exception {
        FlowSettings d = FlowSettings.defaults();
        FlowSettings s = new FlowSettings(d.idleTimeout(), d.activeTimeout(), d.closeGrace(), Duration.ofSeconds(3),
                d.metricsLateness());
        return RestartableStreams.start(FlowTopology.build(s, true, names, io.netwatch.records.InputWatch.NONE,
                FlowSource.FLOW_UPDATES, drain), "updates-test-" + run, bootstrap);
    }
}
