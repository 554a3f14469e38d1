package io.netwatch.enrichment.reputation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AbuseIPDB and VirusTotal clients against a local server on the loopback address that answers in their
 * documented formats (the real services cannot be reached from here), including quota exhaustion and errors.
 */
public class ReputationClientsTest {
    private HttpServer server;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    /** status codes to answer before the real answer, per path prefix */
    private final Map<String, ConcurrentLinkedQueue<Integer>> failures = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();

    /** As AbuseIPDB documents GET /api/v2/check. */
    public static String abuseIpDb(String ip, int score) {
        return "{\"data\":{\"ipAddress\":\"" + ip + "\",\"isPublic\":true,\"ipVersion\":4,\"isWhitelisted\":false,"
                + "\"abuseConfidenceScore\":" + score + ",\"countryCode\":\"CN\",\"usageType\":\"Data Center/Web "
                + "Hosting/Transit\",\"isp\":\"Example Hosting\",\"domain\":\"example.net\",\"hostnames\":[],"
                + "\"isTor\":false,\"totalReports\":1392,\"numDistinctUsers\":217,"
                + "\"lastReportedAt\":\"2024-01-15T10:00:00+00:00\"}}";
    }

    /** As VirusTotal documents GET /api/v3/ip_addresses/{ip}. */
    static String virusTotal(String ip, int malicious, int suspicious) {
        return "{\"data\":{\"id\":\"" + ip + "\",\"type\":\"ip_address\",\"links\":{\"self\":\"https://www.virustotal"
                + ".com/api/v3/ip_addresses/" + ip + "\"},\"attributes\":{\"as_owner\":\"Example Hosting\",\"asn\":"
                + "64500,\"country\":\"CN\",\"reputation\":-12,\"last_analysis_stats\":{\"harmless\":60,"
                + "\"malicious\":" + malicious + ",\"suspicious\":" + suspicious + ",\"undetected\":25,"
                + "\"timeout\":0}}}}";
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/check", x -> answer(x, "abuse", () -> {
            String q = x.getRequestURI().getQuery();
            String ip = q.substring(q.indexOf("ipAddress=") + 10, q.indexOf('&'));
            keys.add("Key=" + x.getRequestHeaders().getFirst("Key"));
            return abuseIpDb(ip, ip.startsWith("198.51") ? 0 : 87);
        }));
        server.createContext("/api/v3/ip_addresses/", x -> answer(x, "vt", () -> {
            String path = x.getRequestURI().getPath();
            keys.add("x-apikey=" + x.getRequestHeaders().getFirst("x-apikey"));
            return virusTotal(path.substring(path.lastIndexOf('/') + 1), 3, 1);
        }));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange x, String which, java.util.function.Supplier<String> body) throws IOException {
        requests.incrementAndGet();
        Integer fail = failures.computeIfAbsent(which, k -> new ConcurrentLinkedQueue<>()).poll();
        byte[] b = (fail != null ? "{\"errors\":[{\"detail\":\"try later\",\"status\":" + fail + "}]}" : body.get())
                .getBytes(StandardCharsets.UTF_8);
        if (fail != null && fail == 429) {
            x.getResponseHeaders().add("Retry-After", "1");
        }
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(fail != null ? fail : 200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AbuseIpDbClient abuse(RateLimit limit) {
        return new AbuseIpDbClient(base.resolve("/api/v2/"), "test-key-1", http, limit, Clock.systemUTC());
    }

    private VirusTotalClient vt(RateLimit limit) {
        return new VirusTotalClient(base.resolve("/api/v3/"), "test-key-2", http, limit, Clock.systemUTC());
    }

    @Test
    void abuseIpDbAnswersAreReadIntoAScoreAndEvidence() throws Exception {
        Reputation r = abuse(AbuseIpDbClient.freeTier(Clock.systemUTC())).check("203.0.113.66").get(5,
                TimeUnit.SECONDS);
        assertEquals(87, r.score(), r.toString());
        assertEquals(1392, r.evidence().get("total_reports"));
        assertEquals(217, r.evidence().get("distinct_reporters"));
        assertNull(r.error());
        assertEquals(List.of("Key=test-key-1"), List.copyOf(keys), "the key goes in the Key header");
    }

    @Test
    void virusTotalVerdictsBecomeAScore() throws Exception {
        Reputation r = vt(VirusTotalClient.freeTier(Clock.systemUTC())).check("203.0.113.66").get(5,
                TimeUnit.SECONDS);
        assertEquals(70, r.score(), "3 malicious x 20 + 1 suspicious x 10: " + r);
        assertEquals(3, r.evidence().get("malicious"));
        assertEquals("Example Hosting", r.evidence().get("as_owner"));
        assertEquals(List.of("x-apikey=test-key-2"), List.copyOf(keys));
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetriedWithBackoff() throws Exception {
        failures.put("abuse", new ConcurrentLinkedQueue<>(List.of(429, 503)));
        long t = System.nanoTime();
        Reputation r = abuse(AbuseIpDbClient.freeTier(Clock.systemUTC())).check("203.0.113.66").get(20,
                TimeUnit.SECONDS);
        assertEquals(87, r.score(), r.toString());
        assertEquals(3, requests.get(), "429, then 503, then the answer");
        assertTrue(System.nanoTime() - t >= TimeUnit.SECONDS.toNanos(1), "Retry-After: 1 was honoured");

        failures.put("abuse", new ConcurrentLinkedQueue<>(List.of(500, 500, 500, 500, 500)));
        Reputation down = abuse(AbuseIpDbClient.freeTier(Clock.systemUTC())).check("203.0.113.67").get(30,
                TimeUnit.SECONDS);
        assertNull(down.score());
        assertEquals("HTTP 500 after 4 attempts", down.error());
    }

    @Test
    void anExhaustedQuotaSendsNothing() throws Exception {
        VirusTotalClient client = vt(new RateLimit(4, 500, Clock.systemUTC()));
        for (int i = 0; i < 4; i++) {
            assertEquals(70, client.check("203.0.113." + i).get(5, TimeUnit.SECONDS).score());
        }
        Reputation fifth = client.check("203.0.113.9").get(5, TimeUnit.SECONDS);
        assertEquals("quota exhausted", fifth.error(), "the free tier allows 4 a minute");
        assertEquals(4, requests.get(), "the fifth was never sent");
    }

    @Test
    void badKeysAndOtherClientErrorsAreNotRetried() throws Exception {
        failures.put("vt", new ConcurrentLinkedQueue<>(List.of(401)));
        Reputation r = vt(VirusTotalClient.freeTier(Clock.systemUTC())).check("203.0.113.66").get(5,
                TimeUnit.SECONDS);
        assertEquals("HTTP 401", r.error());
        assertEquals(1, requests.get());
    }

    @Test
    void theServiceCombinesProvidersAndAsksOncePerTtl() throws Exception {
        ReputationService service = new ReputationService(List.of(abuse(AbuseIpDbClient.freeTier(Clock.systemUTC())),
                vt(VirusTotalClient.freeTier(Clock.systemUTC()))), Duration.ofHours(1), Duration.ofMinutes(1), 1000,
                Clock.systemUTC());
        ReputationCheck c = service.check("203.0.113.66").get(5, TimeUnit.SECONDS);
        assertEquals(87, c.score(), "the most confident provider: " + c);
        assertEquals(List.of("abuseipdb", "virustotal"), c.providers().stream().map(Reputation::provider).toList());
        service.check("203.0.113.66").get(5, TimeUnit.SECONDS);
        service.check("203.0.113.66").get(5, TimeUnit.SECONDS);
        assertEquals(2, requests.get(), "one request per provider, then the cache");

        ReputationCheck clean = service.check("198.51.100.7").get(5, TimeUnit.SECONDS);
        assertEquals(70, clean.score(), "AbuseIPDB says 0, VirusTotal 70: " + clean);
    }

    @Test
    void aProviderThatIsDownLeavesTheOtherAnswering() throws Exception {
        failures.put("vt", new ConcurrentLinkedQueue<>(List.of(401)));
        ReputationService service = new ReputationService(List.of(abuse(AbuseIpDbClient.freeTier(Clock.systemUTC())),
                vt(VirusTotalClient.freeTier(Clock.systemUTC()))), Duration.ofHours(1), Duration.ofMinutes(1), 1000,
                Clock.systemUTC());
        ReputationCheck c = service.check("203.0.113.66").get(5, TimeUnit.SECONDS);
        assertEquals(87, c.score());
        assertEquals("HTTP 401", c.providers().get(1).error());
    }
}
