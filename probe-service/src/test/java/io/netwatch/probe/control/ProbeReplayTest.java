package io.netwatch.probe.control;

import io.netwatch.broker.KafkaBrokerResource;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays real captures through the probe's REST API into the real broker and reads the records back. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ProbeReplayTest {

    static String runIdOfReplay(String file, double speed) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("path", SharedPcaps.file(file).toAbsolutePath().toString(), "speed", speed))
                .post("/api/probe/replay")
                .then().statusCode(200).body("mode", equalTo("replay"))
                .extract().path("run_id");
    }

    static void awaitIdle(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> s = given().get("/api/probe/status").then().statusCode(200).extract().as(Map.class);
            if (runId.equals(s.get("run_id")) && !"replaying".equals(s.get("state"))) {
                assertEquals("idle", s.get("state"), "replay ended with " + s);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("replay " + runId + " did not finish within 60 s");
    }

    /** The packets of a run, without its end-of-run markers. */
    static List<ConsumerRecord<String, PacketRecord>> packetsOf(String runId, int expected) {
        return TopicReader.read(SharedKafkaBroker.bootstrapServers(), Topics.PACKETS,
                r -> r.value().id().startsWith(runId + ":") && !r.value().hasMarker(), expected,
                Duration.ofSeconds(30));
    }

    static int partitionsOfPacketsTopic() {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
            return admin.describeTopics(List.of(Topics.PACKETS.name())).allTopicNames().get()
                    .get(Topics.PACKETS.name()).partitions().size();
        } catch (Exception e) {
            throw new AssertionError("cannot describe " + Topics.PACKETS.name(), e);
        }
    }

    static List<ConsumerRecord<String, PacketRecord>> markersOf(String runId, int expected) {
        return TopicReader.read(SharedKafkaBroker.bootstrapServers(), Topics.PACKETS,
                r -> r.value().id().startsWith(runId + ":") && r.value().hasMarker(), expected,
                Duration.ofSeconds(30));
    }

    /**
     * A replay at speed 5 of a 10 s capture (masscan, 1,005 packets about 10 ms apart) is appended to the topic
     * over about 2 s, each packet at its capture offset / 5 after the first one: the broker's append time (the topic
     * keeps log-append time) is compared with when each packet was due. How late each one arrived varies only by
     * the producer's batching and the machine's load, never by seconds; an unpaced replay would append them all
     * within a fraction of a second.
     */
    @Test
    void aPacedReplayKeepsTheCapturesPace() throws Exception {
        double speed = 5;
        String runId = runIdOfReplay("attacks/masscan-tcp-ports-0-1000.pcap", speed);
        awaitIdle(runId);
        List<ConsumerRecord<String, PacketRecord>> records = packetsOf(runId, 1005);
        assertEquals(1005, records.size());
        long firstTs = records.stream().mapToLong(r -> r.value().ts()).min().orElseThrow();
        long firstAppend = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (ConsumerRecord<String, PacketRecord> r : records) {
            // appended minus due, both from the start: the same for every packet if the pace were exact
            long lateness = (r.timestamp() - firstAppend) - Math.round((r.value().ts() - firstTs) / 1000.0 / speed);
            earliest = Math.min(earliest, lateness);
            latest = Math.max(latest, lateness);
        }
        long span = records.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow() - firstAppend;
        assertTrue(span >= 1_800, "10.05 s of capture at speed 5 appended within " + span + " ms");
        assertTrue(latest - earliest <= 1_000, "packets were appended between " + earliest + " and " + latest
                + " ms from when they were due");
    }

    @Test
    void replayedCapturePublishesEveryFrameOnceKeyedByFlow() throws Exception {
        String runId = runIdOfReplay("basic/web-tls-dns-1998pkts.pcap", 0);
        awaitIdle(runId);
        List<ConsumerRecord<String, PacketRecord>> records = packetsOf(runId, 1998);
        assertEquals(1998, records.size(), "tshark counts 1998 frames in this capture");
        assertEquals(1998, records.stream().map(r -> r.value().id()).distinct().count(), "no record twice");

        // Both directions of a TCP conversation carry one key and so land in one partition.
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, java.util.Set<String>> sendersOfKey = new HashMap<>();
        int partitions = partitionsOfPacketsTopic();
        for (ConsumerRecord<String, PacketRecord> r : records) {
            Integer before = partitionOfKey.putIfAbsent(r.key(), r.partition());
            assertTrue(before == null || before == r.partition(), "key " + r.key() + " in two partitions");
            assertEquals(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                    r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions),
                    r.partition(), "the partition Kafka's default partitioner gives the key");
            if ("tcp".equals(r.value().transport())) {
                sendersOfKey.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(r.value().srcIp());
            }
        }
        assertTrue(sendersOfKey.values().stream().anyMatch(s -> s.size() == 2),
                "some TCP flow key should hold packets sent by both of its ends");

        // Event time is the packet's capture time, not the replay's wall clock.
        PacketRecord first = records.stream().map(ConsumerRecord::value)
                .filter(p -> p.id().equals(runId + ":1")).findFirst().orElseThrow();
        assertTrue(first.ts() < 1_600_000_000_000_000L, "capture time of this 2000s-era file, got " + first.ts());
        ConsumerRecord<String, PacketRecord> firstRecord = records.stream()
                .filter(r -> r.value().id().equals(runId + ":1")).findFirst().orElseThrow();
        assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, firstRecord.timestampType(),
                "the topic keeps arrival time, so an old capture is not deleted by retention as soon as written");

        Map<String, Long> transports = records.stream().map(ConsumerRecord::value)
                .filter(p -> p.transport() != null)
                .collect(Collectors.groupingBy(PacketRecord::transport, Collectors.counting()));
        assertTrue(transports.getOrDefault("tcp", 0L) > 1000, "mostly TCP: " + transports);
        assertTrue(records.stream().anyMatch(r -> r.value().dns() != null && r.value().dns().qname() != null),
                "DNS queries decoded");
        assertTrue(records.stream().anyMatch(r -> r.value().communityId() != null), "community ids present");
    }

    @Test
    void dnsOverUdpIsDecodedIntoTheRecord() throws Exception {
        String runId = runIdOfReplay("protocols/dns_udp.pcap", 0);
        awaitIdle(runId);
        List<ConsumerRecord<String, PacketRecord>> records = packetsOf(runId, 2);
        assertEquals(2, records.size());
        PacketRecord query = records.stream().map(ConsumerRecord::value)
                .filter(p -> !p.dns().response()).findFirst().orElseThrow();
        PacketRecord answer = records.stream().map(ConsumerRecord::value)
                .filter(p -> p.dns().response()).findFirst().orElseThrow();
        assertEquals(query.dns().qname(), answer.dns().qname());
        assertEquals(records.get(0).key(), records.get(1).key(), "query and answer share a flow key");
        assertEquals(query.communityId(), answer.communityId(), "and a Community ID");
        assertEquals(53, query.dstPort());

        // The end of the replay is marked once on every partition, after the run's last packet there.
        int partitions = partitionsOfPacketsTopic();
        List<ConsumerRecord<String, PacketRecord>> markers = markersOf(runId, partitions);
        assertEquals(partitions, markers.size(), "one end-of-run marker per partition");
        assertEquals(partitions, markers.stream().map(ConsumerRecord::partition).distinct().count());
        for (ConsumerRecord<String, PacketRecord> r : records) {
            ConsumerRecord<String, PacketRecord> marker = markers.stream()
                    .filter(m -> m.partition() == r.partition()).findFirst().orElseThrow();
            assertTrue(marker.offset() > r.offset(), "marker after the packets of its partition");
        }
        assertTrue(markers.get(0).value().ts() >= answer.ts(), "marker carries the run's last event time");
    }

    @Test
    void probeStatusIsPublishedOnTheCompactedStatusTopic() throws Exception {
        String runId = runIdOfReplay("protocols/ssh.pcap", 0);
        awaitIdle(runId);
        List<ConsumerRecord<String, ProbeStatus>> statuses = TopicReader.read(SharedKafkaBroker.bootstrapServers(),
                Topics.PROBE_STATUS, r -> runId.equals(r.value().runId()) && "idle".equals(r.value().state()), 1,
                Duration.ofSeconds(10));
        assertTrue(!statuses.isEmpty(), "an idle status for the finished replay");
        ProbeStatus s = statuses.get(statuses.size() - 1).value();
        assertEquals("test-probe", statuses.get(0).key());
        assertEquals(54, s.packets(), "tshark counts 54 frames in ssh.pcap");
        assertEquals(54, s.published());
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("netwatch_probe_packets_total 54.0"), "Prometheus sees the run's 54 frames");
        assertTrue(metrics.contains("netwatch_probe_queue_drops_total 0.0"), "and no loss");
        assertTrue(metrics.contains("kafka_producer_record_send_total"), "and the Kafka producer's own metrics");
    }

    @Test
    void badReplayRequestsGetProblemAnswers() {
        given().contentType(ContentType.JSON).body(Map.of("path", "/nonexistent/x.pcap"))
                .post("/api/probe/replay")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no capture file at /nonexistent/x.pcap"));
        given().contentType(ContentType.JSON)
                .body(Map.of("path", SharedPcaps.root().resolve("REFERENCE.tsv").toAbsolutePath().toString()))
                .post("/api/probe/replay")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("is not a pcap or pcapng file"));
        given().contentType(ContentType.JSON)
                .body(Map.of("path", SharedPcaps.file("protocols/ssh.pcap").toAbsolutePath().toString(),
                        "filter", "tcp port nonsense"))
                .post("/api/probe/replay")
                .then().statusCode(400).body("detail", containsString("does not compile"));
        given().contentType(ContentType.JSON)
                .body(Map.of("path", SharedPcaps.file("protocols/ssh.pcap").toAbsolutePath().toString(), "speed", -2))
                .post("/api/probe/replay")
                .then().statusCode(400).body("detail", containsString("speed must be"));
        given().contentType(ContentType.JSON).body("{not json")
                .post("/api/probe/replay")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void replayWithAFilterPublishesOnlyMatchingFrames() throws Exception {
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("path", SharedPcaps.file("basic/web-tls-dns-1998pkts.pcap").toAbsolutePath().toString(),
                        "speed", 0, "filter", "udp port 53"))
                .post("/api/probe/replay").then().statusCode(200).extract().path("run_id");
        awaitIdle(runId);
        List<ConsumerRecord<String, PacketRecord>> records = packetsOf(runId, 1);
        assertTrue(!records.isEmpty());
        assertTrue(records.stream().allMatch(r -> r.value().srcPort() == 53 || r.value().dstPort() == 53),
                "only DNS over UDP passes 'udp port 53'");
    }
}
