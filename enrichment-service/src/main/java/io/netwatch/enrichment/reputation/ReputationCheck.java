package io.netwatch.enrichment.reputation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * What the providers say of one address together: the combined score is the highest any provider gave (one
 * confident provider is enough to be suspicious), with each provider's answer as the evidence.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReputationCheck(String ip, Integer score, List<Reputation> providers) {

    static ReputationCheck of(String ip, List<Reputation> answers) {
        Integer best = null;
        for (Reputation r : answers) {
            if (r.score() != null && (best == null || r.score() > best)) {
                best = r.score();
            }
        }
        return new ReputationCheck(ip, best, answers);
    }
}
