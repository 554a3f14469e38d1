package io.netwatch.enrichment.reputation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks every configured provider about an address, at most once per TTL: answers are cached (a check in flight is
 * shared, not repeated), failed checks are kept for a shorter time so a provider that was down is asked again
 * soon. The cache holds at most {@code maxEntries} addresses; past that the tenth closest to expiry goes at once, so
 * eviction is rare and not a sort per check.
 */
public final class ReputationService {
    private record Entry(CompletableFuture<ReputationCheck> check, long expiresAt) {
    }

    private final List<ReputationClient> providers;
    private final Duration ttl;
    private final Duration failureTtl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public ReputationService(List<ReputationClient> providers, Duration ttl, Duration failureTtl, int maxEntries,
                             Clock clock) {
        this.providers = List.copyOf(providers);
        this.ttl = ttl;
        this.failureTtl = failureTtl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public boolean enabled() {
        return !providers.isEmpty();
    }

    public CompletableFuture<ReputationCheck> check(String ip) {
        long now = clock.millis();
        Entry e = cache.get(ip);
        if (e != null && (e.expiresAt() > now || !e.check().isDone())) {
            return e.check();
        }
        List<CompletableFuture<Reputation>> asks = new ArrayList<>();
        for (ReputationClient p : providers) {
            asks.add(p.check(ip));
        }
        CompletableFuture<ReputationCheck> check = CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                .thenApply(x -> ReputationCheck.of(ip, asks.stream().map(CompletableFuture::join).toList()));
        Entry fresh = new Entry(check, now + ttl.toMillis());
        cache.put(ip, fresh);
        check.thenAccept(c -> {
            if (c.score() == null) {
                cache.replace(ip, fresh, new Entry(check, clock.millis() + failureTtl.toMillis()));
            }
        });
        evictIfFull();
        return check;
    }

    private void evictIfFull() {
        if (cache.size() <= maxEntries) {
            return;
        }
        cache.entrySet().stream().sorted(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingLong(Entry::expiresAt)))
                .limit(cache.size() - maxEntries * 9L / 10).map(Map.Entry::getKey).toList().forEach(cache::remove);
    }

    public int cached() {
        return cache.size();
    }
}
