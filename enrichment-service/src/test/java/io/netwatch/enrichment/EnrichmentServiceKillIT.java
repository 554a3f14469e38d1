package io.netwatch.enrichment;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.flow.StreamsFaultSettings;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The packaged enrichment-service, killed with SIGKILL while it enriches a stream of alerts (enriched alerts
 * written inside an open transaction, input offsets not committed) and started again on the same state folder:
 * every version of every alert is enriched once, none is missing and none is written twice, each with the
 * GeoLite2 country of its public source.
 */
class EnrichmentServiceKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final int ALERTS = 300;

    @Test
    void aKilledEnrichmentServiceLosesAndDoublesNothing() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(Topics.FLOWS, Topics.ALERTS, Topics.IP_INTEL,
                Topics.ALERTS_ENRICHED));
        Path state = Files.createTempDirectory("enrichment-kill-state");
        Path log = Files.createTempFile("enrichment-kill", ".log");
        int port = LocalKafkaBroker.freePort();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_ENRICHMENT_HTTP_PORT", String.valueOf(port),
                "NETWATCH_ENRICHMENT_STATE_DIR", state.toString(),
                "NETWATCH_GEOIP_DIR", System.getProperty("netwatch.geoip.dir", ".netwatch/geoip"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        // each alert twice, as the detection-service updates an alert whose count grows
        List<Alert> versions = new ArrayList<>();
        long ts = 1_700_000_000_000_000L;
        for (int i = 0; i < ALERTS; i++) {
            // RIPE NCC's 193.0.0.0/21: GeoLite2 places it in the Netherlands
            String src = "193.0." + (i / 200) + "." + (i % 200 + 1);
            for (int count = 1; count <= 2; count++) {
                versions.add(new Alert(run + "-" + i, "port_scan", Alert.MEDIUM, ts + i, ts + i + count, count,
                        "kill-probe", src, "10.0.0.5", List.of(22), "scan", Map.of(), "T1046"));
            }
        }
        int half = versions.size() / 2;

        ServiceProcess first = ServiceProcess.start(JAR, port, env,
                StreamsFaultSettings.quickTakeoverWith(StreamsFaultSettings.WORK_LEFT_UNCOMMITTED), log);
        first.awaitReady(Duration.ofSeconds(90));
        send(bootstrap, versions.subList(0, half));
        // enriched alerts written, in the open transaction, before the kill strikes
        TopicReader.readUncommitted(bootstrap, Topics.ALERTS_ENRICHED,
                r -> r.value().alert().alertId().startsWith(run), 50, Duration.ofSeconds(60));
        first.kill();

        send(bootstrap, versions.subList(half, versions.size()));
        try (ServiceProcess second = ServiceProcess.start(JAR, port, env, StreamsFaultSettings.QUICK_TAKEOVER, log)) {
            second.awaitReady(Duration.ofSeconds(90));
            List<EnrichedAlert> enriched = TopicReader.read(bootstrap, Topics.ALERTS_ENRICHED,
                    r -> r.value().alert().alertId().startsWith(run), versions.size(), Duration.ofSeconds(90))
                    .stream().map(r -> r.value()).toList();
            Set<String> expected = new HashSet<>();
            versions.forEach(a -> expected.add(a.alertId() + "#" + a.count()));
            List<String> got = enriched.stream().map(e -> e.alert().alertId() + "#" + e.alert().count()).toList();
            assertEquals(expected, new HashSet<>(got), "every version of every alert enriched");
            assertEquals(versions.size(), got.size(), "none enriched twice across the kill");
            for (EnrichedAlert e : enriched) {
                assertNotNull(e.srcIntel(), "intel for " + e.alert().srcIp());
                assertEquals("NL", e.srcIntel().countryIso(), "GeoLite2 for " + e.alert().srcIp());
            }
        }
    }

    private static void send(String bootstrap, List<Alert> alerts) throws Exception {
        try (KafkaProducer<String, Alert> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            for (Alert a : alerts) {
                p.send(new ProducerRecord<>(Topics.ALERTS.name(), a.alertId(), a));
            }
            p.flush();
        }
    }
}
