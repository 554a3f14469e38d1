package io.netwatch.detection;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.StreamsServiceResource;
import io.netwatch.probe.CaptureReplay;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.Alert;
import io.netwatch.records.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detection-service as it runs: Quarkus, Kafka Streams with exactly-once, the real broker, a real capture. */
@QuarkusTest
@QuarkusTestResource(StreamsServiceResource.class)
class DetectionServiceTest {

    @Test
    void aReplayedScanBecomesOneAlertOnTheAlertsTopic() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        long sent = CaptureReplay.capture(bootstrap, SharedPcaps.file("attacks/masscan-tcp-ports-0-1000.pcap"),
                "it-probe", CaptureAlerts.PAYLOAD_HEAD);
        assertEquals(1005, sent, "tshark counts 1005 frames");
        List<ConsumerRecord<String, Alert>> records = TopicReader.read(bootstrap, Topics.ALERTS,
                r -> r.value().rule().equals("port_scan") && "it-probe".equals(r.value().probeId()), 1,
                Duration.ofSeconds(90));
        assertTrue(!records.isEmpty(), "a port_scan alert on " + Topics.ALERTS.name());
        Alert scan = records.get(records.size() - 1).value();
        assertEquals("172.31.15.102", scan.srcIp());
        assertEquals("198.124.152.15", scan.dstIp());
        assertEquals(1, records.stream().map(r -> r.value().alertId()).distinct().count(),
                "one alert, however many updates");
        assertTrue(records.stream().allMatch(r -> r.key().equals(r.value().alertId())), "keyed by alert id");
    }

    @Test
    void healthReportsTheStreamsState() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
