package io.netwatch.enrichment.intel;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An address found on a threat-intel list.
 *
 * @param list      the list's name (its file name without extension)
 * @param entry     the matching entry, as a CIDR
 * @param reference what the list says about the entry (Spamhaus' SBL id, a comment), or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ListHit(String list, String entry, String reference) {
}
