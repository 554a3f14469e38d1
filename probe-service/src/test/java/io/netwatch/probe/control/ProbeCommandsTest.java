package io.netwatch.probe.control;

import io.netwatch.broker.KafkaBrokerResource;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.records.ProbeCommand;
import io.netwatch.records.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands on the commands topic drive the probe they are keyed to, and no other. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ProbeCommandsTest {
    @Inject
    CommandListener listener;

    @Test
    void aReplayCommandForThisProbeIsCarriedOutAndOneForAnotherProbeIsNot() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!listener.listening() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(listener.listening(), "the command listener joined its group");
        String before = given().get("/api/probe/status").then().extract().path("run_id");
        String path = SharedPcaps.file("protocols/tftp.pcap").toAbsolutePath().toString();
        long now = System.currentTimeMillis() * 1000;
        try (KafkaProducer<String, ProbeCommand> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                Topics.PROBE_COMMANDS.keySerde().serializer(), Topics.PROBE_COMMANDS.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(Topics.PROBE_COMMANDS.name(), "other-probe", new ProbeCommand("c1",
                    "other-probe", ProbeCommand.START_REPLAY, null, null, null, null,
                    SharedPcaps.file("protocols/ssh.pcap").toAbsolutePath().toString(), 0.0, false, now, "test")));
            p.send(new ProducerRecord<>(Topics.PROBE_COMMANDS.name(), "test-probe", new ProbeCommand("c2",
                    "test-probe", ProbeCommand.START_REPLAY, null, null, null, null, path, 0.0, false, now, "test")));
            p.flush();
        }
        Map<String, Object> status = Map.of();
        deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            status = given().get("/api/probe/status").then().extract().as(Map.class);
            if (!java.util.Objects.equals(before, status.get("run_id")) && "idle".equals(status.get("state"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(path, status.get("source"), "the probe replayed the file of its own command: " + status);
        assertEquals(7, ((Number) status.get("packets")).intValue(), "tshark counts 7 frames in tftp.pcap");
    }
}
