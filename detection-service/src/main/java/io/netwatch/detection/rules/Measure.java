package io.netwatch.detection.rules;

/** What a window rule measures over the observations of one entity. */
public enum Measure {
    /** distinct {@code value}s (ports, hosts, subdomains, MAC addresses) */
    DISTINCT,
    /** observations */
    COUNT,
    /** the sum of {@code amount} (bytes, packets) */
    SUM
}
