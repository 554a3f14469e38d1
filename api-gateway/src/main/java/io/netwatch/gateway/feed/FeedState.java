package io.netwatch.gateway.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How one topic feed is doing, for /api/status and the health checks: a sink that cannot write says since when
 * and why, while its records wait in Kafka.
 *
 * @param passedOver records a tail feed jumped over to stay at the newest (never read, by design)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedState(String name, boolean healthy, int partitions, long records, long skipped,
                        Long failingSince, String lastError, long retries, long passedOver) {
}
