package io.netwatch.flow;

import io.netwatch.records.FlowTimeouts;

import java.time.Duration;

/**
 * The flow-service's timeouts ({@link FlowTimeouts} and its own), all in event time (packet timestamps), so a replay at any speed yields the flows
 * a live capture would.
 *
 * @param idleTimeout     a flow with no packet for this long ends (IPFIX flowIdleTimeout)
 * @param activeTimeout   a flow still running after this long publishes an update, and again each period after
 *                        (IPFIX flowActiveTimeout)
 * @param closeGrace      after both FINs or a RST, late packets still count for this long before the flow ends
 * @param quietFlush      wall-clock time without any packet in a partition after which its flows are expired
 *                        as if event time had moved on with the clock (live capture on a quiet link)
 * @param metricsLateness how long after its end a metrics window waits for late partial results
 */
public record FlowSettings(Duration idleTimeout, Duration activeTimeout, Duration closeGrace, Duration quietFlush,
                           Duration metricsLateness) {

    public static FlowSettings defaults() {
        FlowTimeouts t = FlowTimeouts.defaults();
        return new FlowSettings(t.idleTimeout(), t.activeTimeout(), t.closeGrace(), Duration.ofSeconds(30),
                Duration.ofSeconds(3));
    }

    /** The timeouts that split traffic into flows, which the probe's flow table shares. */
    public FlowTimeouts timeouts() {
        return new FlowTimeouts(idleTimeout, activeTimeout, closeGrace);
    }
}
