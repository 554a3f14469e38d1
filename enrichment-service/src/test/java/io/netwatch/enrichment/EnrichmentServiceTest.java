package io.netwatch.enrichment;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.StreamsServiceResource;
import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.IpIntel;
import io.netwatch.records.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The enrichment-service as it runs: Quarkus, Kafka Streams, the real broker, the real GeoLite2 files. */
@QuarkusTest
@QuarkusTestResource(StreamsServiceResource.class)
class EnrichmentServiceTest {

    @Test
    void alertsInEnrichedAlertsAndIpIntelOut() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        String id = UUID.randomUUID().toString();
        long ts = 1_700_000_000_000_000L;
        Alert alert = new Alert(id, "port_scan", Alert.MEDIUM, ts, ts, 1, "it-probe", "193.0.6.139", "10.0.0.5",
                List.of(22), "scan", Map.of(), "T1046");
        try (KafkaProducer<String, Alert> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(Topics.ALERTS.name(), id, alert)).get();
        }
        EnrichedAlert e = first(bootstrap, Topics.ALERTS_ENRICHED.name(), Topics.ALERTS_ENRICHED.valueSerde()
                .deserializer(), r -> id.equals(r.key()));
        assertEquals("NL", e.srcIntel().countryIso(), "RIPE NCC: " + e.srcIntel());
        assertEquals("private", e.dstIntel().scope());
        IpIntel intel = first(bootstrap, Topics.IP_INTEL.name(), Topics.IP_INTEL.valueSerde().deserializer(),
                r -> "193.0.6.139".equals(r.key()));
        assertEquals("NL", intel.countryIso());
        assertEquals(ts, intel.firstSeen());
    }

    private static <V> V first(String bootstrap, String topic,
                               org.apache.kafka.common.serialization.Deserializer<V> values,
                               java.util.function.Predicate<ConsumerRecord<String, V>> match) {
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"), new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            List<String> seen = new ArrayList<>();
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(200))) {
                    seen.add(r.key());
                    if (match.test(r)) {
                        return r.value();
                    }
                }
            }
            throw new AssertionError("nothing matching on " + topic + " within 60 s; saw " + seen);
        }
    }

    @Test
    void healthReportsTheStreamsState() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
