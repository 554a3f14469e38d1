package io.netwatch.flow;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart in the middle of a capture, on a new machine (empty state directory, so the flow state comes back
 * from its changelog), neither loses nor double-counts a flow, and with the drain the service does on shutdown
 * ({@link StreamsDrain}) the minute metrics count every packet once too.
 */
class FlowRestartTest {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final FlowTopology.Names names = new FlowTopology.Names("restart-" + run + ".packets",
            "restart-" + run + ".packet-batches", "restart-" + run + ".flows", "restart-" + run + ".metrics", "restart-" + run + ".tallies",
            "restart-" + run + ".flow-updates");

    @Test
    void aRestartMidCaptureNeitherLosesNorDoublesFlows() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(
                new Topic<>(names.packets(), null, null, false, 0, 0),
                new Topic<>(names.packetBatches(), null, null, false, 0, 0), new Topic<>(names.flows(), null, null, false, 0, 0),
                new Topic<>(names.metrics(), null, null, false, 0, 0), new Topic<>(names.tallies(), null, null, false, 0, 0)));
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(
                "attacks/nmap-port80-aggressive.pcap"), 0);
        int half = packets.size() / 2;

        StreamsDrain firstDrain = new StreamsDrain();
        KafkaStreams first = start(bootstrap, firstDrain);
        PacketTopicWriter.send(bootstrap, names.packets(), 3, packets.subList(0, half));
        PacketTopicWriter.awaitConsumed(bootstrap, "restart-test-" + run, names.packets(), half,
                Duration.ofSeconds(60));
        firstDrain.beginAndWait();
        RestartableStreams.stop(first);

        KafkaStreams second = start(bootstrap, new StreamsDrain()); // new state directory: restores from the changelog
        // a few wall-clock punctuations run on the restored flows before the rest of the capture comes, as on a
        // link that is quiet for a moment after a restart: they must not end flows that are only waiting
        Thread.sleep(2500);
        PacketTopicWriter.send(bootstrap, names.packets(), 3, packets.subList(half, packets.size()));
        long last = packets.get(packets.size() - 1).record().ts();
        PacketTopicWriter.send(bootstrap, names.packets(), 3, List.of(new PacketRecordFactory.Keyed("end/run",
                PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last))));
        List<FlowRecord> flows = readFlows(bootstrap, 35);
        long minutePackets = FlowOutputs.minutePackets(FlowOutputs.read(bootstrap, "metrics-reader-" + run,
                names.metrics(), Topics.METRICS, l -> FlowOutputs.minutePackets(l) >= packets.size()));
        RestartableStreams.stop(second);

        List<FlowRecord> finals = flows.stream().filter(f -> f.recordType().equals(FlowRecord.FINAL)).toList();
        assertEquals(finals.size(), finals.stream().map(FlowRecord::flowId).distinct().count(), "no flow twice");
        assertEquals(35, finals.stream().filter(f -> f.ipProto() == 6).count(), () -> "tshark's 35 TCP conversations; "
                + "conversations made into more than one flow: " + split(finals));
        assertEquals(packets.size(), finals.stream().mapToLong(FlowRecord::totalPkts).sum(),
                "every packet counted once across the restart");
        assertEquals(packets.size(), minutePackets, "the minute metrics count every packet once across the restart "
                + "(without the drain, the 201 packets of the seconds the first instance held open were lost)");
    }

    /** Each conversation (Community ID) that became several flows, with the flows' times, packets and histories. */
    private static Map<String, List<String>> split(List<FlowRecord> finals) {
        Map<String, List<String>> byConversation = new java.util.TreeMap<>();
        for (FlowRecord f : finals) {
            byConversation.computeIfAbsent(f.communityId(), x -> new ArrayList<>()).add(f.ts() + ".." + f.lastSeen()
                    + " " + f.totalPkts() + " pkts " + f.endReason() + " " + f.history());
        }
        byConversation.values().removeIf(v -> v.size() < 2);
        return byConversation;
    }

    private KafkaStreams start(String bootstrap, StreamsDrain drain) throws Exception {
        FlowSettings s = new FlowSettings(Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(5),
                Duration.ofDays(1), Duration.ofSeconds(3));
        return RestartableStreams.start(FlowTopology.build(s, true, names, io.netwatch.records.InputWatch.NONE,
                FlowSource.PACKETS, drain), "restart-test-" + run, bootstrap);
    }

    private List<FlowRecord> readFlows(String bootstrap, int atLeastTcp) throws Exception {
        List<FlowRecord> out = new ArrayList<>();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + run);
        cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        try (KafkaConsumer<String, FlowRecord> c = new KafkaConsumer<>(cfg, new StringDeserializer(),
                Topics.FLOWS.valueSerde().deserializer())) {
            c.subscribe(List.of(names.flows()));
            long deadline = System.currentTimeMillis() + 60_000;
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, FlowRecord> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (settleUntil == Long.MAX_VALUE && out.stream().filter(f -> f.ipProto() == 6).count() >= atLeastTcp) {
                    settleUntil = System.currentTimeMillis() + 2000; // and whatever would come twice
                }
            }
        }
        assertTrue(!out.isEmpty(), "flows arrived");
        return out;
    }
}
