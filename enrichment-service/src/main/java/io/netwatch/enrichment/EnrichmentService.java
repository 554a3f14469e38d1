package io.netwatch.enrichment;

import io.netwatch.enrichment.geo.GeoIpLookup;
import io.netwatch.enrichment.intel.ThreatLists;
import io.netwatch.enrichment.reputation.AbuseIpDbClient;
import io.netwatch.enrichment.reputation.ReputationClient;
import io.netwatch.enrichment.reputation.ReputationService;
import io.netwatch.enrichment.reputation.VirusTotalClient;
import io.netwatch.records.NativeLz4;
import io.netwatch.records.TopicSetup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires the enrichment topology into Quarkus' Kafka Streams with its GeoIP databases, lists and providers. */
@ApplicationScoped
public class EnrichmentService {
    private static final Logger LOG = Logger.getLogger(EnrichmentService.class);

    @Inject
    EnrichmentConfig config;

    @ConfigProperty(name = "kafka-streams.bootstrap.servers")
    String bootstrapServers;

    private GeoIpLookup geo;
    private volatile AddressIntel intel;
    private ScheduledExecutorService reloads;

    /** The lookups the topology uses, for the REST lookup of one address; built with the topology at start. */
    public AddressIntel intel() {
        return intel;
    }

    /** One topology: Quarkus injects it in several places, and building it opens files and creates topics. */
    @Produces
    @Singleton
    @Startup
    Topology topology() throws InterruptedException {
        NativeLz4.load(); // before Quarkus starts the stream threads' clients on this topology
        geo = GeoIpLookup.open(config.geoip().city(), config.geoip().country(), config.geoip().asn(), true);
        ThreatLists lists = new ThreatLists(config.lists().orElse(List.of()));
        reloads = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "threat-list-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.listsReload().toMillis();
        reloads.scheduleWithFixedDelay(lists::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);

        Clock clock = Clock.systemUTC();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<ReputationClient> providers = new ArrayList<>();
        config.abuseipdb().key().ifPresent(k -> providers.add(new AbuseIpDbClient(
                config.abuseipdb().url().orElse(AbuseIpDbClient.API), k, http, AbuseIpDbClient.freeTier(clock), clock)));
        config.virustotal().key().ifPresent(k -> providers.add(new VirusTotalClient(
                config.virustotal().url().orElse(VirusTotalClient.API), k, http, VirusTotalClient.freeTier(clock),
                clock)));
        ReputationService reputation = new ReputationService(providers, config.ttl(), Duration.ofMinutes(5),
                config.cacheSize(), clock);
        LOG.infof("enrichment: GeoIP %s, %d threat-intel lists, reputation from %s, TTL %s",
                config.geoip().city().or(() -> config.geoip().country()).orElseThrow(), lists.lists(),
                providers.isEmpty() ? "no provider (no API key set)"
                        : providers.stream().map(ReputationClient::name).toList(), config.ttl());

        TopicSetup.ensure(bootstrapServers, config.partitions(), config.replication(), EnrichmentTopology.topics());
        intel = new AddressIntel(geo, lists, reputation, config.suspiciousScore());
        return EnrichmentTopology.build(intel,
                new EnrichmentTopology.Settings(config.ttl(), config.maxInFlight()), true,
                EnrichmentTopology.Names.CONTRACT);
    }

    void stop(@Observes ShutdownEvent e) throws IOException {
        if (reloads != null) {
            reloads.shutdownNow();
        }
        if (geo != null) {
            geo.close();
        }
    }
}
