package io.netwatch.enrichment.reputation;

import com.fasterxml.jackson.databind.JsonNode;
import io.netwatch.records.JsonSerde;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP reputation provider: asynchronous requests (never a blocked caller), its quota enforced before sending,
 * and retries with exponential backoff on 429 (honouring Retry-After) and 5xx. Subclasses say how to ask and how
 * to read the answer.
 */
public abstract class ReputationClient {
    private final String name;
    private final HttpClient http;
    private final RateLimit limit;
    private final int retries;
    private final Duration firstBackoff;
    protected final Clock clock;

    protected ReputationClient(String name, HttpClient http, RateLimit limit, int retries, Duration firstBackoff,
                               Clock clock) {
        this.name = name;
        this.http = http;
        this.limit = limit;
        this.retries = retries;
        this.firstBackoff = firstBackoff;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    protected abstract HttpRequest request(String ip);

    /** The score and evidence in a 200 answer. */
    protected abstract Reputation read(String ip, JsonNode body);

    /** Never completes exceptionally: a failure is a reputation with an error. */
    public CompletableFuture<Reputation> check(String ip) {
        return attempt(ip, 0).exceptionally(e -> Reputation.failed(name, cause(e).toString(), clock.millis()));
    }

    private CompletableFuture<Reputation> attempt(String ip, int attempt) {
        if (!limit.tryAcquire()) {
            return CompletableFuture.completedFuture(Reputation.failed(name, "quota exhausted", clock.millis()));
        }
        return http.sendAsync(request(ip), HttpResponse.BodyHandlers.ofByteArray()).thenCompose(r -> {
            int status = r.statusCode();
            if (status == 200) {
                try {
                    return CompletableFuture.completedFuture(read(ip, JsonSerde.MAPPER.readTree(r.body())));
                } catch (IOException e) {
                    return CompletableFuture.completedFuture(Reputation.failed(name,
                            "unreadable answer: " + e.getMessage(), clock.millis()));
                }
            }
            boolean retryable = status == 429 || status >= 500;
            if (!retryable || attempt >= retries) {
                return CompletableFuture.completedFuture(Reputation.failed(name, "HTTP " + status
                        + (retryable ? " after " + (attempt + 1) + " attempts" : ""), clock.millis()));
            }
            Duration wait = firstBackoff.multipliedBy(1L << attempt);
            if (status == 429) {
                Duration after = retryAfter(r);
                limit.backOff(after);
                wait = after.compareTo(wait) > 0 ? after : wait;
            }
            Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(n -> attempt(ip, n));
        });
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(60);
            }
        }).orElse(Duration.ofSeconds(60));
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    protected static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET();
    }

    protected static Map<String, Object> evidence(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
