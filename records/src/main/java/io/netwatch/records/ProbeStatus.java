package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a probe is doing and how much it has seen: the value of the compacted {@code netwatch.probe-status.v1},
 * keyed by probe id. Counters cover the current capture or replay run and restart at zero with the next one;
 * {@code flow_updates}, {@code flow_update_errors}, {@code packet_filter} and {@code filtered} are absent unless
 * the probe publishes flow updates. {@code packet_filter} {@code rules}: the probe publishes as packet records only
 * what per-packet rules read ({@code filtered} counts the frames left to their flows' updates).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeStatus(
        String probeId,
        String state,
        String mode,
        String source,
        String filter,
        Integer snaplen,
        Boolean promiscuous,
        Double speed,
        String runId,
        Long startedAt,
        long updatedAt,
        long packets,
        long bytes,
        long decodeErrors,
        long published,
        long publishErrors,
        long queueDrops,
        Long pcapReceived,
        Long kernelDrops,
        Long interfaceDrops,
        String lastError,
        String apiUrl,
        Long flowUpdates,
        Long flowUpdateErrors,
        String packetFilter,
        Long filtered) {

    public static final String IDLE = "idle";
    public static final String CAPTURING = "capturing";
    public static final String REPLAYING = "replaying";
    public static final String FAILED = "failed";

    public static final String LIVE = "live";
    public static final String REPLAY = "replay";

    /** Capturing or replaying, as opposed to idle, stopped or failed. */
    public boolean running() {
        return CAPTURING.equals(state) || REPLAYING.equals(state);
    }
}
