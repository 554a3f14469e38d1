package io.netwatch.detection;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.Alert;
import io.netwatch.records.JsonSerde;

/** An alert within its suppression window, and the count last published for it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record OpenAlert(Alert alert, long publishedCount) {
    static final JsonSerde<OpenAlert> SERDE = new JsonSerde<>(OpenAlert.class);

    boolean dirty() {
        return alert.count() != publishedCount;
    }
}
