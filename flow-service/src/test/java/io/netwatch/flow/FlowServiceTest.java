package io.netwatch.flow;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.StreamsServiceResource;
import io.netwatch.probe.CaptureReplay;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow-service as it runs: Quarkus, Kafka Streams with exactly-once, the real broker, a real capture. */
@QuarkusTest
@QuarkusTestResource(StreamsServiceResource.class)
class FlowServiceTest {

    @Test
    void aReplayedCaptureBecomesFlowsAndMetrics() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        long sent = CaptureReplay.capture(bootstrap, SharedPcaps.file("attacks/nmap-port80-aggressive.pcap"), "it-probe",
                0);
        assertEquals(431, sent, "tshark counts 431 frames");

        List<ConsumerRecord<String, FlowRecord>> flows = TopicReader.read(bootstrap, Topics.FLOWS,
                r -> r.value().probeId().equals("it-probe") && r.value().recordType().equals(FlowRecord.FINAL),
                36, Duration.ofSeconds(90));
        long tcp = flows.stream().filter(r -> r.value().ipProto() == 6).count();
        assertEquals(35, tcp, "tshark's TCP conversations in REFERENCE.tsv");
        assertEquals(flows.size(), flows.stream().map(r -> r.value().flowId()).distinct().count(),
                "each flow once (exactly once)");
        assertTrue(flows.stream().anyMatch(r -> r.value().endReason().equals(FlowRecord.FORCED_END)),
                "the end-of-run marker ended the flows still open; closed ones ended after their grace period");
        long packetsInFlows = flows.stream().mapToLong(r -> r.value().totalPkts()).sum();
        assertEquals(431, packetsInFlows, "every IP packet of the capture is in exactly one flow");
        for (ConsumerRecord<String, FlowRecord> r : flows) {
            assertEquals(io.netwatch.records.FlowKey.parse(r.key()).proto(), r.value().ipProto(), "keyed by flow key");
        }

        // Windows are published as event time passes them, the last ones when no more traffic comes (3 s quiet).
        List<ConsumerRecord<String, TrafficMetrics>> metrics = List.of();
        long sum = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (sum != 431 && System.currentTimeMillis() < deadline) {
            metrics = TopicReader.read(bootstrap, Topics.METRICS,
                    r -> r.value().probeId().equals("it-probe") && r.value().resolution().equals("1s"),
                    Integer.MAX_VALUE, Duration.ofSeconds(3));
            Map<Long, TrafficMetrics> latestPerWindow = metrics.stream().map(ConsumerRecord::value)
                    .collect(Collectors.toMap(TrafficMetrics::windowStart, m -> m, (a, b) -> b));
            sum = latestPerWindow.values().stream().mapToLong(TrafficMetrics::packets).sum();
        }
        assertEquals(431, sum, "the latest record of each 1 s window adds up to the capture");
        assertEquals("it-probe/1s", metrics.get(0).key());
    }

    @Test
    void healthReportsTheStreamsState() {
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void prometheusMetricsShowTheStreamsRatesLagAndFailures() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String m : List.of("kafka_stream_thread_process_rate", "kafka_stream_thread_process_total",
                "kafka_consumer_fetch_manager_records_lag_max", "kafka_stream_failed_stream_threads_total",
                "kafka_stream_alive_stream_threads", "jvm_memory_used_bytes")) {
            assertTrue(metrics.contains(m), m + " is scraped at /q/metrics");
        }
    }
}
