package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An alert with what is known of its source and target: the value of {@code netwatch.alerts-enriched.v1}, keyed
 * by alert id like the alert. Intel is what was known when the alert passed (GeoIP and lists at once; reputation
 * once a provider has answered for the address).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrichedAlert(Alert alert, IpIntel srcIntel, IpIntel dstIntel) implements Timestamped {
    @Override
    public long eventTimeUs() {
        return alert.eventTimeUs();
    }
}
