package io.netwatch.enrichment;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.flow.StreamsFault;
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
 * The packaged enrichment-service through the faults a deployment meets while it enriches a stream of alerts:
 * killed with SIGKILL (enriched alerts written inside an open transaction, input offsets not committed) and started
 * again on the same state folder; the broker stopped and started again under it. Either way every version of every
 * alert is enriched once, none is missing and none is written twice, each with the GeoLite2 country of its public
 * source.
 */
class EnrichmentServiceKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final int ALERTS = 300;

    @Test
    void aKilledEnrichmentServiceLosesAndDoublesNothing() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        ServiceProcess.Launcher service = service(bootstrap);
        String run = UUID.randomUUID().toString().substring(0, 8);
        // enriched alerts written, in the open transaction, before the kill strikes
        enrichThrough(bootstrap, run, service.start(StreamsFaultSettings.TO_BE_KILLED), StreamsFault.kill(
                () -> TopicReader.readUncommitted(bootstrap, Topics.ALERTS_ENRICHED,
                        r -> r.value().alert().alertId().startsWith(run), 50, Duration.ofSeconds(60)), service));
    }

    @Test
    void aBrokerRestartUnderTheEnrichmentServiceLosesAndDoublesNothing() throws Exception {
        try (RestartableBroker broker = RestartableBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            String run = UUID.randomUUID().toString().substring(0, 8);
            enrichThrough(bootstrap, run, service(bootstrap).start(StreamsFaultSettings.QUICK_TAKEOVER),
                    StreamsFault.brokerRestart(broker, () -> TopicReader.read(bootstrap, Topics.ALERTS_ENRICHED,
                            r -> r.value().alert().alertId().startsWith(run), 50, Duration.ofSeconds(60))));
        }
    }

    /**
     * Sends the first half of {@value #ALERTS} alerts of {@code run} (each in two versions), lets the fault strike,
     * sends the rest, and checks that every version is enriched once, none missing, each with its GeoLite2 country.
     */
    private static void enrichThrough(String bootstrap, String run, ServiceProcess first, StreamsFault fault)
            throws Exception {
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
        send(bootstrap, versions.subList(0, half));
        Runnable sendRest = () -> {
            try {
                send(bootstrap, versions.subList(half, versions.size()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try (ServiceProcess after = fault.strike(first, sendRest)) {
            List<EnrichedAlert> enriched = TopicReader.read(bootstrap, Topics.ALERTS_ENRICHED,
                    r -> r.value().alert().alertId().startsWith(run), versions.size(), Duration.ofSeconds(90))
                    .stream().map(r -> r.value()).toList();
            Set<String> expected = new HashSet<>();
            versions.forEach(a -> expected.add(a.alertId() + "#" + a.count()));
            List<String> got = enriched.stream().map(e -> e.alert().alertId() + "#" + e.alert().count()).toList();
            assertEquals(expected, new HashSet<>(got), "every version of every alert enriched");
            assertEquals(versions.size(), got.size(), "none enriched twice across the fault");
            for (EnrichedAlert e : enriched) {
                assertNotNull(e.srcIntel(), "intel for " + e.alert().srcIp());
                assertEquals("NL", e.srcIntel().countryIso(), "GeoLite2 for " + e.alert().srcIp());
            }
        }
    }

    /** The packaged service on a broker, with a state folder and log of its own that outlive its restarts. */
    private static ServiceProcess.Launcher service(String bootstrap) throws Exception {
        TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(Topics.FLOWS, Topics.ALERTS, Topics.IP_INTEL,
                Topics.ALERTS_ENRICHED));
        int port = LocalKafkaBroker.freePort();
        return new ServiceProcess.Launcher(JAR, port, Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_ENRICHMENT_HTTP_PORT", String.valueOf(port),
                "NETWATCH_ENRICHMENT_STATE_DIR", Files.createTempDirectory("enrichment-faults-state").toString(),
                "NETWATCH_GEOIP_DIR", System.getProperty("netwatch.geoip.dir", ".netwatch/geoip")),
                Files.createTempFile("enrichment-faults", ".log"));
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
