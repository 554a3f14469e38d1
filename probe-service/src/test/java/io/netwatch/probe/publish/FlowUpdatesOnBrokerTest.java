package io.netwatch.probe.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A probe with flow updates on publishes, through the real broker, what its flow tables make of a replay: each
 * lane's updates in the partition of their flow's packets, counted in the pipeline, and after a restart that
 * resumes the run, flows whose end counts the packets the first run had already published, each ended once.
 */
class FlowUpdatesOnBrokerTest {
    private static final String CAPTURE = "basic/web-tls-dns-1998pkts.pcap";
    private static final int LANES = 2;
    private static final PacketPipeline.FlowExport EXPORT =
            new PacketPipeline.FlowExport(FlowTimeouts.defaults(), Duration.ofSeconds(1));

    @Test
    void eachLanesFlowUpdatesArriveInTheirPacketsPartition() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, Topics.probe());
        String probe = "flows-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = SharedPcaps.file(CAPTURE);
        PacketPipeline pipeline = replay(bootstrap, probe, file, PacketFilter.ALL);
        List<JsonNode> expected = expected(file);
        long ends = expected.stream().filter(u -> u.get("state").asText().equals(FlowUpdate.END)).count();
        assertTrue(ends > 20, "the capture has many flows: " + ends);
        assertEquals(expected.size(), pipeline.flowUpdates.sum(), "every update acknowledged");
        assertEquals(0, pipeline.flowUpdateErrors.sum());

        List<ConsumerRecord<String, FlowUpdate>> got = TopicReader.read(bootstrap, Topics.FLOW_UPDATES,
                r -> probe.equals(r.value().probeId()), expected.size(), Duration.ofSeconds(30));
        assertEquals(Set.copyOf(expected), Set.copyOf(got.stream().map(r -> comparable(r.value())).toList()));
        assertEquals(expected.size(), got.size(), "each once");
        Map<String, Integer> packetPartition = new HashMap<>();
        for (ConsumerRecord<String, PacketRecord> r : TopicReader.read(bootstrap, Topics.PACKETS,
                r -> probe.equals(r.value().probeId()) && !r.value().hasMarker(), 1998, Duration.ofSeconds(30))) {
            packetPartition.put(r.key(), r.partition());
        }
        for (ConsumerRecord<String, FlowUpdate> r : got) {
            assertEquals(r.value().flowKey(), r.key());
            assertEquals(packetPartition.get(r.key()), r.partition(), "a flow's updates share its packets' partition");
        }
    }

    @Test
    void aResumedRunsFlowsCountWhatTheFirstRunPublished() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, Topics.probe());
        String probe = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        String runId = probe + "-run";
        Path file = SharedPcaps.file(CAPTURE);
        Map<Integer, Long> start = PublishedPackets.endOffsets(bootstrap, Topics.PACKETS.name());
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "test-" + probe);
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline first = new PacketPipeline(producer, runId, new PacketRecordFactory(probe, "file", 0),
                    LANES, PacketFormat.PACKETS);
            first.exportFlows(EXPORT);
            for (int i = 0; i < 1000 && reader.next(first); i++) {
                // the probe stops after 1000 frames, as a pod that is deleted mid-replay does
            }
            first.close(false);
        }
        PublishedPackets published = PublishedPackets.scan(bootstrap, PacketFormat.PACKETS, runId, LANES, start);
        assertEquals(1000, published.count());
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "test-" + probe);
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline second = new PacketPipeline(producer, runId, new PacketRecordFactory(probe, "file", 0),
                    LANES, PacketFormat.PACKETS);
            second.exportFlows(EXPORT);
            second.resumeFrom(published);
            reader.readAll(second);
            second.close();
            assertEquals(1000, second.resumed.sum());
        }
        Set<JsonNode> expectedEnds = new HashSet<>();
        for (JsonNode u : expected(file)) {
            if (u.get("state").asText().equals(FlowUpdate.END)) {
                expectedEnds.add(u);
            }
        }
        List<ConsumerRecord<String, FlowUpdate>> got = TopicReader.read(bootstrap, Topics.FLOW_UPDATES,
                r -> probe.equals(r.value().probeId()) && r.value().state().equals(FlowUpdate.END),
                expectedEnds.size(), Duration.ofSeconds(30));
        assertEquals(expectedEnds, Set.copyOf(got.stream().map(r -> comparable(r.value())).toList()));
        assertEquals(expectedEnds.size(), got.size(), "each flow ends once: the second run does not send again "
                + "what the first run's packets made");
    }

    /**
     * With {@code packet-filter=rules} the packets topic carries only the frames the filter keeps, each once, and
     * the flow updates are those of every frame, as without the filter.
     */
    @Test
    void theRulesFilterPublishesItsSubsetAndTheFlowsOfEverything() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, Topics.probe());
        String probe = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = SharedPcaps.file(CAPTURE);
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "test-" + probe)) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new PacketPipeline(producer, "x", new PacketRecordFactory(probe, "file", 0), 1,
                            PacketFormat.PACKETS).setPacketFilter(PacketFilter.RULES),
                    "no filter without flow updates: the frames left out would be in no record");
        }
        PacketPipeline pipeline = replay(bootstrap, probe, file, PacketFilter.RULES);
        List<PacketRecordFactory.Keyed> all = CapturePackets.of(file, 0);
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            if (PacketFilter.RULES.keeps(all.get(i).key(), all.get(i).record())) {
                kept.add(Integer.toString(i + 1)); // the pipeline numbers frames from 1
            }
        }
        assertTrue(kept.size() > 0 && kept.size() < all.size() / 2,
                "DNS, TLS and web traffic: the subset is the DNS, HTTP heads and frames of no flow, "
                        + kept.size() + " of " + all.size());
        assertEquals(all.size(), pipeline.packets.sum());
        assertEquals(kept.size(), pipeline.published.sum(), "the kept frames acknowledged");
        assertEquals(all.size() - kept.size(), pipeline.filtered.sum(), "the others counted as filtered");
        List<ConsumerRecord<String, PacketRecord>> onTopic = TopicReader.read(bootstrap, Topics.PACKETS,
                r -> probe.equals(r.value().probeId()) && !r.value().hasMarker(), kept.size(), Duration.ofSeconds(30));
        assertEquals(kept, Set.copyOf(onTopic.stream().map(r -> r.value().id().substring(r.value().id()
                .lastIndexOf(':') + 1)).toList()), "exactly the subset");
        assertEquals(kept.size(), onTopic.size(), "each once");
        List<JsonNode> expected = expected(file);
        assertEquals(expected.size(), pipeline.flowUpdates.sum(), "the flow updates of every frame");
        List<ConsumerRecord<String, FlowUpdate>> updates = TopicReader.read(bootstrap, Topics.FLOW_UPDATES,
                r -> probe.equals(r.value().probeId()), expected.size(), Duration.ofSeconds(30));
        assertEquals(Set.copyOf(expected), Set.copyOf(updates.stream().map(r -> comparable(r.value())).toList()));
    }

    /** Replays the capture through a pipeline of {@link #LANES} lanes with flow updates on. */
    private static PacketPipeline replay(String bootstrap, String probe, Path file, PacketFilter filter)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.packetProducer(bootstrap, "test-" + probe);
             CaptureFileReader reader = CaptureFileReader.open(file)) {
            PacketPipeline pipeline = new PacketPipeline(producer, probe + "-run",
                    new PacketRecordFactory(probe, "file", 0), LANES, PacketFormat.PACKETS);
            pipeline.exportFlows(EXPORT);
            pipeline.setPacketFilter(filter);
            reader.readAll(pipeline);
            pipeline.close();
            return pipeline;
        }
    }

    /** The updates of one flow table per lane fed the capture's packets, as the pipeline splits them. */
    private static List<JsonNode> expected(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        List<FlowCache> caches = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            caches.add(new FlowCache("run", EXPORT.timeouts(), EXPORT.updateInterval(),
                    (k, u) -> out.add(comparable(u))));
        }
        for (PacketRecordFactory.Keyed k : CapturePackets.of(file, 0)) {
            caches.get(PacketPipeline.lane(k.key(), LANES)).add(k.key(), k.record());
        }
        caches.forEach(FlowCache::endAll);
        return out;
    }

    private static JsonNode comparable(FlowUpdate u) {
        ObjectNode n = JsonSerde.MAPPER.valueToTree(u);
        n.remove("probe_id");
        n.remove("run_id");
        return n;
    }
}
