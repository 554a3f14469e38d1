package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * What is known of one address: the value of the compacted {@code netwatch.ip-intel.v1}, keyed by the address, so
 * the latest record per address is the intel (readable as a GlobalKTable). Field by field in docs/topics.md.
 *
 * @param scope      {@code public}, or the special-purpose range the address is in ({@code private}, ...)
 * @param reputation each provider's answer ({@code provider}, {@code score}, {@code evidence}, {@code error})
 * @param listHits   the threat-intel lists holding the address ({@code list}, {@code entry}, {@code reference})
 * @param score      0-100: the highest provider score, 100 when a blocklist holds the address; null when nothing
 *                   is known yet
 * @param firstSeen  event time (µs) the address was first seen in a flow or alert
 * @param lastSeen   event time (µs) it was last seen, updated at most once a minute
 * @param updatedAt  wall-clock time (ms) of the lookups
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IpIntel(String ip, String scope, String countryIso, String country, String continent, String city,
                      Double latitude, Double longitude, Long asn, String asOrg,
                      List<Map<String, Object>> reputation, List<Map<String, Object>> listHits, Integer score,
                      boolean suspicious, long firstSeen, long lastSeen, long updatedAt) {
}
