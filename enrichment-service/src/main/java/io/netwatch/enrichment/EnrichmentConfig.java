package io.netwatch.enrichment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The enrichment-service's settings (application.properties; each also an environment variable). */
@ConfigMapping(prefix = "netwatch.enrichment")
public interface EnrichmentConfig {
    GeoIp geoip();

    interface GeoIp {
        /** GeoLite2-City.mmdb or GeoIP2-City.mmdb. */
        Optional<Path> city();

        /** Used when no City database is given. */
        Optional<Path> country();

        /** GeoLite2-ASN.mmdb, when you have it. */
        Optional<Path> asn();
    }

    /** IP/CIDR blocklists (plain, Spamhaus DROP, FireHOL netset), comma-separated paths. */
    Optional<List<Path>> lists();

    /** How often the lists' files are checked for changes. */
    @WithDefault("60s")
    Duration listsReload();

    Provider abuseipdb();

    Provider virustotal();

    interface Provider {
        /** The API key; the provider is asked only when one is set. */
        Optional<String> key();

        /** The API's base address (the provider's own unless a test or proxy says otherwise). */
        Optional<URI> url();
    }

    /** An address's intel is looked up again after this long. */
    @WithDefault("24h")
    Duration ttl();

    @WithDefault("50")
    int maxInFlight();

    /** An address scoring at least this is flagged suspicious. */
    @WithDefault("75")
    int suspiciousScore();

    /** Addresses whose provider answers are kept in memory. */
    @WithDefault("100000")
    int cacheSize();

    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replication();
}
