package io.netwatch.enrichment.reputation;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * VirusTotal's IP address report ({@code GET /api/v3/ip_addresses/{ip}}, API key in the {@code x-apikey} header).
 * Score: 20 per engine that calls the address malicious and 10 per suspicious one, at most 100, so five
 * malicious verdicts make it certain. Free tier: 4 requests a minute, 500 a day.
 */
public final class VirusTotalClient extends ReputationClient {
    public static final String NAME = "virustotal";
    public static final URI API = URI.create("https://www.virustotal.com/api/v3/");

    private final URI base;
    private final String key;

    public VirusTotalClient(URI base, String key, HttpClient http, RateLimit limit, Clock clock) {
        super(NAME, http, limit, 3, Duration.ofSeconds(15), clock);
        this.base = base;
        this.key = key;
    }

    public static RateLimit freeTier(Clock clock) {
        return new RateLimit(4, 500, clock);
    }

    @Override
    protected HttpRequest request(String ip) {
        return get(base.resolve("ip_addresses/" + ip)).header("x-apikey", key).build();
    }

    @Override
    protected Reputation read(String ip, JsonNode body) {
        JsonNode a = body.path("data").path("attributes");
        JsonNode stats = a.path("last_analysis_stats");
        if (!stats.isObject()) {
            return Reputation.failed(NAME, "no last_analysis_stats in the answer", clock.millis());
        }
        int malicious = stats.path("malicious").asInt();
        int suspicious = stats.path("suspicious").asInt();
        int score = Math.min(100, 20 * malicious + 10 * suspicious);
        return new Reputation(NAME, score, evidence(
                "malicious", malicious,
                "suspicious", suspicious,
                "harmless", stats.path("harmless").asInt(),
                "undetected", stats.path("undetected").asInt(),
                "community_reputation", a.path("reputation").isNumber() ? a.path("reputation").asInt() : null,
                "as_owner", a.path("as_owner").isTextual() ? a.path("as_owner").asText() : null),
                clock.millis(), null);
    }
}
