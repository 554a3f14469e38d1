package io.netwatch.flow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The flow-service's settings (application.properties; each also an environment variable). */
@ConfigMapping(prefix = "netwatch.flow")
public interface FlowConfig {
    /** A flow with no packet for this long ends (IPFIX inactive timeout). */
    @WithDefault("60s")
    Duration idleTimeout();

    /** A longer flow publishes an update each period (IPFIX active timeout; routers default to 30 min). */
    @WithDefault("30m")
    Duration activeTimeout();

    /** Late packets after both FINs or a RST still count for this long. */
    @WithDefault("5s")
    Duration closeGrace();

    /** A partition without packets for this long (wall clock) ages its flows with the clock. */
    @WithDefault("30s")
    Duration quietFlush();

    /** How long a metrics window waits, in event time, for late tallies. */
    @WithDefault("3s")
    Duration metricsLateness();

    /**
     * What flows are built from: packets (every packet record; the flow-service keeps the flow table) or
     * flow-updates (the flow tables of probes run with flow-updates=true, netwatch.flow-updates.v1).
     */
    @WithDefault("packets")
    String source();

    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replication();

    default FlowSettings settings() {
        return new FlowSettings(idleTimeout(), activeTimeout(), closeGrace(), quietFlush(), metricsLateness());
    }
}
