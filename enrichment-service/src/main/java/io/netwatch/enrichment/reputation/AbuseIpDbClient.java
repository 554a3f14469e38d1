package io.netwatch.enrichment.reputation;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * AbuseIPDB's check endpoint ({@code GET /api/v2/check?ipAddress=...&maxAgeInDays=90}, API key in the {@code Key}
 * header). The score is AbuseIPDB's own {@code abuseConfidenceScore} (0-100). Free tier: 1,000 checks a day.
 */
public final class AbuseIpDbClient extends ReputationClient {
    public static final String NAME = "abuseipdb";
    public static final URI API = URI.create("https://api.abuseipdb.com/api/v2/");

    private final URI base;
    private final String key;

    public AbuseIpDbClient(URI base, String key, HttpClient http, RateLimit limit, Clock clock) {
        super(NAME, http, limit, 3, Duration.ofSeconds(1), clock);
        this.base = base;
        this.key = key;
    }

    /** The free tier's quota. */
    public static RateLimit freeTier(Clock clock) {
        return new RateLimit(60, 1000, clock);
    }

    @Override
    protected HttpRequest request(String ip) {
        return get(base.resolve("check?ipAddress=" + URLEncoder.encode(ip, StandardCharsets.UTF_8)
                + "&maxAgeInDays=90")).header("Key", key).build();
    }

    @Override
    protected Reputation read(String ip, JsonNode body) {
        JsonNode d = body.path("data");
        if (!d.has("abuseConfidenceScore")) {
            return Reputation.failed(NAME, "no abuseConfidenceScore in the answer", clock.millis());
        }
        return new Reputation(NAME, d.path("abuseConfidenceScore").asInt(), evidence(
                "total_reports", d.path("totalReports").asInt(),
                "distinct_reporters", d.path("numDistinctUsers").asInt(),
                "last_reported_at", d.path("lastReportedAt").isTextual() ? d.path("lastReportedAt").asText() : null,
                "usage_type", d.path("usageType").isTextual() ? d.path("usageType").asText() : null,
                "isp", d.path("isp").isTextual() ? d.path("isp").asText() : null,
                "whitelisted", d.path("isWhitelisted").isBoolean() ? d.path("isWhitelisted").asBoolean() : null),
                clock.millis(), null);
    }
}
