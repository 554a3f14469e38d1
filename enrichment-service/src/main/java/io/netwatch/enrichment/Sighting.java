package io.netwatch.enrichment;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.Timestamped;

/** An external address seen in a flow or alert at event time {@code ts} (µs); internal, keyed by the address. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Sighting(String ip, long ts) implements Timestamped {
    static final JsonSerde<Sighting> SERDE = new JsonSerde<>(Sighting.class);

    @Override
    public long eventTimeUs() {
        return ts;
    }
}
