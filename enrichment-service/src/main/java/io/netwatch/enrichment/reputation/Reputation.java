package io.netwatch.enrichment.reputation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * What one provider says of an address.
 *
 * @param score    0 (nothing known against it) to 100 (certainly abusive), on the provider's own scale mapped as
 *                 documented in the provider's client
 * @param evidence the provider's figures behind the score (reports, engines, categories)
 * @param error    why there is no score (quota exhausted, provider down), or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reputation(String provider, Integer score, Map<String, Object> evidence, long checkedAt, String error) {

    static Reputation failed(String provider, String error, long now) {
        return new Reputation(provider, null, null, now, error);
    }
}
