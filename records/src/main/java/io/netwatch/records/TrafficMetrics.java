package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * Traffic of one probe in one window (1 s or 1 min): the value of {@code netwatch.metrics.v1}, keyed by
 * {@code probe_id/resolution}. A window whose traffic arrives late is published again with the same
 * {@code probe_id}, {@code resolution} and {@code window_start}: the latest record of a window wins.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficMetrics(
        String probeId,
        String resolution,
        long windowStart,
        long windowEnd,
        long packets,
        long bytes,
        Map<String, Counter> protocols,
        Map<String, Counter> appProtocols,
        long newFlows,
        long activeFlows,
        List<Talker> topSources,
        List<Talker> topDestinations) {

    public static final String SECOND = "1s";
    public static final String MINUTE = "1m";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Counter(long packets, long bytes) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Talker(String ip, long bytes, long packets) {
    }

    public String key() {
        return probeId + "/" + resolution;
    }
}
