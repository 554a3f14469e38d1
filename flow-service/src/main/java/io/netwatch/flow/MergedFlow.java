package io.netwatch.flow;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.FlowUpdate;

/**
 * An open flow as the update merger stores it: the probe's latest update and the active-timeout records published.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record MergedFlow(FlowUpdate last, int published) {
}
