package io.netwatch.enrichment;

import io.netwatch.enrichment.reputation.ReputationCheck;
import io.netwatch.records.IpIntel;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the intel of each address: looked up when first seen and again once its TTL has passed, never per
 * sighting. Providers are asked asynchronously (at most {@code maxInFlight} at once); their answers are folded in
 * on the stream thread by a wall-clock punctuation, so a slow or dead provider never holds the stream up.
 */
final class IntelBuilder implements Processor<String, Sighting, String, IpIntel> {
    private static final long SEEN_UPDATE_US = 60_000_000;

    private final AddressIntel sources;
    private final Duration ttl;
    private final int maxInFlight;
    private ProcessorContext<String, IpIntel> context;
    private KeyValueStore<String, IpIntel> store;
    private final Map<String, CompletableFuture<ReputationCheck>> inFlight = new HashMap<>();

    IntelBuilder(AddressIntel sources, Duration ttl, int maxInFlight) {
        this.sources = sources;
        this.ttl = ttl;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void init(ProcessorContext<String, IpIntel> context) {
        this.context = context;
        this.store = context.getStateStore(EnrichmentTopology.INTEL_STORE);
        // a revived task is initialised again on the same instance; answers to lookups it asked for before are
        // not folded into a store restored without them (a later sighting asks again)
        inFlight.clear();
        context.schedule(Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, t -> foldAnswers());
    }

    @Override
    public void process(Record<String, Sighting> record) {
        Sighting s = record.value();
        if (s == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        IpIntel known = store.get(s.ip());
        if (known == null || known.updatedAt() + ttl.toMillis() <= now) {
            IpIntel fresh = sources.local(s.ip(), known, s.ts(), now);
            publish(fresh);
            if (sources.wantsReputation(fresh) && inFlight.size() < maxInFlight && !inFlight.containsKey(s.ip())) {
                inFlight.put(s.ip(), sources.askProviders(s.ip()));
            }
        } else if (s.ts() > known.lastSeen() + SEEN_UPDATE_US || s.ts() < known.firstSeen()) {
            publish(new IpIntel(known.ip(), known.scope(), known.countryIso(), known.country(), known.continent(),
                    known.city(), known.latitude(), known.longitude(), known.asn(), known.asOrg(), known.reputation(),
                    known.listHits(), known.score(), known.suspicious(), Math.min(known.firstSeen(), s.ts()),
                    Math.max(known.lastSeen(), s.ts()), known.updatedAt()));
        }
    }

    private void foldAnswers() {
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ReputationCheck>> e : inFlight.entrySet()) {
            if (e.getValue().isDone()) {
                done.add(e.getKey());
                IpIntel known = store.get(e.getKey());
                if (known != null) {
                    publish(sources.withReputation(known, e.getValue().join(), context.currentSystemTimeMs()));
                }
            }
        }
        done.forEach(inFlight::remove);
    }

    private void publish(IpIntel intel) {
        store.put(intel.ip(), intel);
        context.forward(new Record<>(intel.ip(), intel, Math.max(0, intel.lastSeen() / 1000)));
    }
}
