package io.netwatch.enrichment.geo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where an address is: its scope ({@code public}, or the special range it belongs to), and for public addresses
 * what the GeoLite2 databases say. Fields the databases do not have are absent.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeoInfo(String ip, String scope, String countryIso, String country, String continent, String city,
                      Double latitude, Double longitude, Integer accuracyKm, Long asn, String asOrg) {

    static GeoInfo special(String ip, String scope) {
        return new GeoInfo(ip, scope, null, null, null, null, null, null, null, null, null);
    }
}
