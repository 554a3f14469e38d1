package io.netwatch.records;

/**
 * What a stream service builds flows and connection outcomes from: every packet record, or the flow tables of
 * probes run with {@code flow-updates=true} (netwatch.flow-updates.v1), beside the packet records those probes still
 * publish (all of them, or with {@code packet-filter=rules} only what per-packet rules read). Settings
 * {@code netwatch.flow.source} and {@code netwatch.detection.source}.
 */
public enum FlowSource {
    /** Every packet record: the service keeps its own table of flows or connection attempts (the default). */
    PACKETS,
    /** The probes' flow updates; packet records then count only for per-packet rules and frames of no flow. */
    FLOW_UPDATES;

    /** @param setting the setting's name, for the error */
    public static FlowSource of(String setting, String s) {
        return switch (s) {
            case "packets" -> PACKETS;
            case "flow-updates" -> FLOW_UPDATES;
            default -> throw new IllegalArgumentException(setting + " must be packets or flow-updates, not " + s);
        };
    }
}
