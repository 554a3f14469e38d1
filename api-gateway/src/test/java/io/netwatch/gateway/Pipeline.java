package io.netwatch.gateway;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.detection.DetectionSettings;
import io.netwatch.detection.DetectionTopology;
import io.netwatch.flow.CaptureFlows;
import io.netwatch.flow.FlowSettings;
import io.netwatch.flow.FlowTopology;
import io.netwatch.flow.RestartableStreams;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real pipeline behind the gateway in its tests: the flow and detection topologies running on the module's
 * broker, fed with packet records decoded from the shared captures, as a probe would publish them.
 */
final class Pipeline {
    static final String SCAN = "attacks/masscan-tcp-ports-0-1000.pcap";
    static final String SCANNER = "172.31.15.102";
    static final String TARGET = "198.124.152.15";
    static final String WEB = "basic/web-tls-dns-1998pkts.pcap";
    private static List<KafkaStreams> streams;
    private static int replayedFlows = -1;

    private Pipeline() {
    }

    static synchronized void start() throws Exception {
        if (streams != null) {
            return;
        }
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        List<Topic<?, ?>> topics = new ArrayList<>(FlowTopology.topics());
        topics.addAll(DetectionTopology.topics());
        TopicSetup.ensure(bootstrap, 3, (short) 1, topics);
        streams = List.of(
                RestartableStreams.start(FlowTopology.build(FlowSettings.defaults()), "gw-test-flows", bootstrap),
                // the packet topics' three partitions, as the service reads them at start: a replay's windows close
                // at its end of run
                RestartableStreams.start(DetectionTopology.build(DetectionSettings.defaults(), true,
                        DetectionTopology.Names.CONTRACT, InputWatch.NONE,
                        Map.of(Topics.PACKETS.name(), 3, Topics.PACKET_BATCHES.name(), 3)), "gw-test-detections",
                        bootstrap));
    }

    /**
     * Replays the web capture and the scan once per test JVM, as probe-a, and waits until every flow and the scan's
     * alert are stored; the test classes of the module share what this leaves behind.
     *
     * @return how many flows the flow topology makes of the two captures
     */
    static synchronized int replayBothCapturesOnce() throws Exception {
        if (replayedFlows >= 0) {
            return replayedFlows;
        }
        start();
        awaitFeedsAssigned();
        announceProbe();
        Set<String> flowIds = new HashSet<>();
        for (String capture : List.of(WEB, SCAN)) {
            CaptureFlows.of(packets(capture), FlowSettings.defaults()).forEach(f -> flowIds.add(f.flowId()));
            replay(capture);
        }
        RequestSpecification viewer = RestAssured.given().auth().oauth2("test-viewer");
        await("every flow of both captures stored", Duration.ofSeconds(90),
                () -> viewer.get("/api/flows?size=1").jsonPath().getLong("total") == flowIds.size());
        await("the scan's alert stored", Duration.ofSeconds(60),
                () -> viewer.get("/api/alerts?rule=port_scan").jsonPath().getLong("total") >= 1);
        replayedFlows = flowIds.size();
        return replayedFlows;
    }

    /** The capture's frames as a probe publishes them, then the end-of-run marker on every partition. */
    static List<PacketRecordFactory.Keyed> packets(String capture) throws Exception {
        List<PacketRecordFactory.Keyed> packets = new ArrayList<>(CapturePackets.of(SharedPcaps.file(capture), 64));
        long last = packets.get(packets.size() - 1).record().ts();
        packets.add(new PacketRecordFactory.Keyed("end", PacketRecord.endOfRun("run-" + capture,
                CapturePackets.PROBE, "replay", last + 1)));
        return packets;
    }

    static void replay(String capture) throws Exception {
        PacketTopicWriter.send(SharedKafkaBroker.bootstrapServers(), Topics.PACKETS.name(), 3, packets(capture));
    }

    /** The status a probe sends when it starts, so the gateway knows probe-a. */
    static void announceProbe() {
        announceProbe(null);
    }

    /** The same, with the URL of the probe's API (null for none), where the gateway fetches raw frames. */
    static void announceProbe(String apiUrl) {
        publish(Topics.PROBE_STATUS, CapturePackets.PROBE, new ProbeStatus(CapturePackets.PROBE, ProbeStatus.IDLE,
                null, null, null, null, null, null, null, null, System.currentTimeMillis(), 0, 0, 0, 0, 0, 0, null,
                null, null, null, apiUrl, null, null, null, null));
    }

    static <V> void publish(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                SharedKafkaBroker.bootstrapServers()), new StringSerializer(), topic.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(topic.name(), key, value));
            p.flush();
        }
    }

    /** Waits until the gateway's feeds have their partitions, so a feed that reads from now on misses nothing. */
    static void awaitFeedsAssigned() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            List<Integer> partitions = RestAssured.given().auth().oauth2("test-viewer").get("/api/status")
                    .then().statusCode(200).extract().jsonPath().getList("feeds.partitions", Integer.class);
            if (!partitions.isEmpty() && partitions.stream().allMatch(p -> p > 0)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway's feeds got no partitions within 60 s");
    }

    static void await(String what, Duration timeout, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        assertTrue(done.getAsBoolean(), what + " within " + timeout);
    }

}
