package io.netwatch.records;

import java.time.Duration;

/**
 * When a flow ends or reports, in event time (packet timestamps), so a replay at any speed yields the flows a live
 * capture would. The flow-service and the probe's flow table use the same values, so both split traffic into the
 * same flows.
 *
 * @param idleTimeout   a flow with no packet for this long ends (IPFIX flowIdleTimeout)
 * @param activeTimeout a flow still running after this long publishes an update, and again each period after
 *                      (IPFIX flowActiveTimeout)
 * @param closeGrace    after both FINs or a RST, late packets still count for this long before the flow ends
 */
public record FlowTimeouts(Duration idleTimeout, Duration activeTimeout, Duration closeGrace) {

    public static FlowTimeouts defaults() {
        return new FlowTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(5));
    }

    public long idleUs() {
        return idleTimeout.toNanos() / 1000;
    }

    public long activeUs() {
        return activeTimeout.toNanos() / 1000;
    }

    public long graceUs() {
        return closeGrace.toNanos() / 1000;
    }
}
