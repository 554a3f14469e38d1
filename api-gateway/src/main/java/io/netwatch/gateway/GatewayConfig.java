package io.netwatch.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's settings ({@code netwatch.gateway.*}, each also an environment variable); see the README. */
@ConfigMapping(prefix = "netwatch.gateway")
public interface GatewayConfig {

    Auth auth();

    Upload upload();

    Retention retention();

    Live live();

    Influx influx();

    /** Base URL of the enrichment-service, asked for the intel of one address on demand. */
    Optional<String> enrichmentUrl();

    /**
     * How long a durable sink's (PostgreSQL, InfluxDB) consumer-group membership outlives a gateway that died
     * without leaving, before a restarted or other gateway gets its partitions (Kafka's session.timeout.ms, at
     * least the broker's group.min.session.timeout.ms, 6 s by default).
     */
    @WithDefault("45s")
    Duration sinkSessionTimeout();

    /** Partitions of the contract topics the gateway creates when they do not exist yet. */
    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replication();

    interface Auth {
        /**
         * Access tokens as {@code role:token} (role {@code viewer} or {@code operator}). Without any token every
         * endpoint that changes something answers 401, so nothing can be controlled by accident.
         */
        Optional<List<String>> tokens();

        /** Whether reads (GET) need no token, for a dashboard on a trusted network. */
        @WithDefault("false")
        boolean anonymousRead();
    }

    interface Upload {
        /** Where uploaded captures are kept; probes that replay them must see the same path. */
        @WithDefault("/tmp/netwatch-uploads")
        Path dir();

        /** Largest capture accepted, in bytes. */
        @WithDefault("536870912")
        long maxBytes();
    }

    interface Retention {
        @WithDefault("30d")
        Duration alerts();

        @WithDefault("7d")
        Duration flows();

        /** How often rows older than their retention are deleted. */
        @WithDefault("10m")
        Duration every();
    }

    interface Live {
        /** Recent packets kept in memory for /api/packets and the packet list. */
        @WithDefault("5000")
        int packets();

        /**
         * How often the recent packets are read: each time, the newest ones up to {@link #packets()}. Above that
         * many packets per refresh, those in between are never read, so the gateway's cost does not grow with the
         * traffic it cannot show.
         */
        @WithDefault("1s")
        Duration packetRefresh();

        /** Packets per second sent to each /ws/packets client at most: the tail is sampled above it. */
        @WithDefault("20")
        int packetSampleRate();

        /** Messages a WebSocket client may have unsent before further ones are dropped for it. */
        @WithDefault("32")
        int maxPending();

        /**
         * Alert messages a client may have unsent: alerts come in bursts (a scan's hits are committed together)
         * and each one matters, so their bound is higher than the other streams'.
         */
        @WithDefault("1024")
        int alertMaxPending();

        /** Messages dropped in a row for a client before it is disconnected as too slow. */
        @WithDefault("500")
        int maxDropped();

        /** Addresses whose intel is kept in memory (latest from netwatch.ip-intel.v1). */
        @WithDefault("100000")
        int intel();
    }

    interface Influx {
        /** InfluxDB 2.x URL; without it the time-series sink is off. */
        Optional<String> url();

        @WithDefault("netwatch")
        String org();

        @WithDefault("netwatch")
        String bucket();

        Optional<String> token();

        /** Points per write request. */
        @WithDefault("5000")
        int batch();
    }
}
