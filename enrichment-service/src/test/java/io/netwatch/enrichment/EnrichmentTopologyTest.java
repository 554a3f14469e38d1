package io.netwatch.enrichment;

import com.sun.net.httpserver.HttpServer;
import io.netwatch.enrichment.geo.GeoIpLookup;
import io.netwatch.enrichment.geo.GeoIpLookupTest;
import io.netwatch.enrichment.intel.ThreatLists;
import io.netwatch.enrichment.reputation.AbuseIpDbClient;
import io.netwatch.enrichment.reputation.ReputationClientsTest;
import io.netwatch.enrichment.reputation.ReputationService;
import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpIntel;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The enrichment topology in TopologyTestDriver, on the real GeoLite2 files and a local reputation provider. */
class EnrichmentTopologyTest {
    private static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger asked = new AtomicInteger();
    private GeoIpLookup geo;
    private ReputationService reputation;
    private TopologyTestDriver driver;
    private TestInputTopic<String, FlowRecord> flows;
    private TestInputTopic<String, Alert> alerts;
    private TestOutputTopic<String, IpIntel> intel;
    private TestOutputTopic<String, EnrichedAlert> enriched;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/check", x -> {
            asked.incrementAndGet();
            String q = x.getRequestURI().getQuery();
            String ip = q.substring(q.indexOf("ipAddress=") + 10, q.indexOf('&'));
            byte[] b = ReputationClientsTest.abuseIpDb(ip, ip.equals("193.0.6.139") ? 3 : 95)
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        Path drop = dir.resolve("drop.txt");
        Files.write(drop, List.of("; Spamhaus DROP", "5.188.10.0/23 ; SBL123456"));
        geo = GeoIpLookup.open(Optional.of(GeoIpLookupTest.database("GeoLite2-City.mmdb")), Optional.empty(),
                Optional.empty(), true);
        reputation = new ReputationService(List.of(new AbuseIpDbClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/"), "k",
                HttpClient.newHttpClient(), AbuseIpDbClient.freeTier(Clock.systemUTC()), Clock.systemUTC())),
                Duration.ofHours(1), Duration.ofMinutes(1), 1000, Clock.systemUTC());
        AddressIntel sources = new AddressIntel(geo, new ThreatLists(List.of(drop)), reputation, 75);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrichment-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("enrichment-test").toString());
        driver = new TopologyTestDriver(EnrichmentTopology.build(sources, new EnrichmentTopology.Settings(
                Duration.ofHours(1), 100), false, EnrichmentTopology.Names.CONTRACT), props, Instant.now());
        flows = driver.createInputTopic(Topics.FLOWS.name(), new StringSerializer(), Topics.FLOWS.valueSerde().serializer());
        alerts = driver.createInputTopic(Topics.ALERTS.name(), new StringSerializer(),
                Topics.ALERTS.valueSerde().serializer());
        intel = driver.createOutputTopic(Topics.IP_INTEL.name(), new StringDeserializer(),
                Topics.IP_INTEL.valueSerde().deserializer());
        enriched = driver.createOutputTopic(Topics.ALERTS_ENRICHED.name(), new StringDeserializer(),
                Topics.ALERTS_ENRICHED.valueSerde().deserializer());
    }

    @AfterEach
    void stop() throws Exception {
        driver.close();
        geo.close();
        server.stop(0);
    }

    private static FlowRecord flow(String src, String dst, long ts) {
        return new FlowRecord("f-" + src + "-" + dst + "-" + ts, "p", ts, ts, 0, FlowRecord.FINAL,
                FlowRecord.END_OF_FLOW, 0, 6, "tcp", 0, src, 50000, dst, 443, null, "tls", 1, 60, 0, 1, 60, 0, 2, 18,
                "SF", "closed", "ShAF", null, null, null, null, null);
    }

    private static Alert alert(String src, String dst, long ts) {
        return new Alert("a-1", "port_scan", Alert.MEDIUM, ts, ts, 1, "p", src, dst, List.of(22), "scan", Map.of(),
                "T1046");
    }

    private Map<String, IpIntel> latestIntel() {
        return intel.readKeyValuesToList().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value,
                (a, b) -> b));
    }

    @Test
    void publicAddressesOfFlowsGetGeoListsAndReputationOncePerTtl() throws Exception {
        for (int i = 0; i < 5; i++) {
            flows.pipeInput("k", flow("10.0.0.5", "193.0.6.139", T0 + i * 1_000_000L));
        }
        flows.pipeInput("k", flow("10.0.0.5", "5.188.11.20", T0));
        Map<String, IpIntel> first = latestIntel();
        assertEquals(List.of("193.0.6.139", "5.188.11.20"), first.keySet().stream().sorted().toList(),
                "public addresses only; 10.0.0.5 is private");
        IpIntel ripe = first.get("193.0.6.139");
        assertEquals("NL", ripe.countryIso());
        assertEquals(T0, ripe.firstSeen());
        IpIntel listed = first.get("5.188.11.20");
        assertEquals(100, listed.score(), "on a blocklist: " + listed);
        assertTrue(listed.suspicious());
        assertEquals("SBL123456", listed.listHits().get(0).get("reference"));

        // the provider answers asynchronously; its answer is folded in on the next wall-clock tick
        reputation.check("193.0.6.139").get(5, TimeUnit.SECONDS);
        reputation.check("5.188.11.20").get(5, TimeUnit.SECONDS);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, IpIntel> later = latestIntel();
        assertEquals(3, later.get("193.0.6.139").score(), "AbuseIPDB's score");
        assertFalse(later.get("193.0.6.139").suspicious());
        assertEquals(2, asked.get(), "one provider request per address, not per sighting");
        flows.pipeInput("k", flow("10.0.0.5", "193.0.6.139", T0 + 5_000_000L));
        assertEquals(Map.of(), latestIntel(), "seen again within the minute: nothing new to say");
    }

    @Test
    void anAddressInFlowAfterFlowIsForwardedOnceInTenSecondsOfEventTime() {
        TestOutputTopic<String, Sighting> sightings = driver.createOutputTopic(EnrichmentTopology.SIGHTINGS.name(),
                new StringDeserializer(), EnrichmentTopology.SIGHTINGS.valueSerde().deserializer());
        for (int i = 0; i < 100; i++) {
            flows.pipeInput("k", flow("10.0.0." + (i % 50 + 2), "193.0.6.139", T0 + i * 90_000L)); // 9 s in all
        }
        flows.pipeInput("k", flow("10.0.0.5", "193.0.6.139", T0 - 2_000_000L)); // late: may move first_seen
        flows.pipeInput("k", flow("10.0.0.5", "193.0.6.139", T0 + 10_000_000L));
        flows.pipeInput("k", flow("10.0.0.5", "5.188.11.20", T0 + 10_000_000L));
        assertEquals(List.of("193.0.6.139@" + T0, "193.0.6.139@" + (T0 - 2_000_000L),
                        "193.0.6.139@" + (T0 + 10_000_000L), "5.188.11.20@" + (T0 + 10_000_000L)),
                sightings.readValuesToList().stream().map(s -> s.ip() + "@" + s.ts()).toList(),
                "private addresses never; a public one once, then again when earlier or 10 s on");
        assertEquals(T0 - 2_000_000L, latestIntel().get("193.0.6.139").firstSeen());
    }

    @Test
    void alertsCarryTheIntelOfTheirSourceAndTarget() {
        alerts.pipeInput("a-1", alert("5.188.11.20", "10.0.0.5", T0));
        EnrichedAlert e = enriched.readValue();
        assertEquals("a-1", e.alert().alertId());
        assertEquals(geo.lookup("5.188.11.20").countryIso(), e.srcIntel().countryIso(), e.srcIntel().toString());
        assertTrue(e.srcIntel().countryIso() != null && e.srcIntel().latitude() != null, "located at once");
        assertEquals(100, e.srcIntel().score());
        assertEquals("private", e.dstIntel().scope());
        assertNull(e.dstIntel().countryIso());
        assertTrue(latestIntel().containsKey("5.188.11.20"), "the alert's public address is enriched as well");
    }
}
