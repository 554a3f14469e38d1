package io.netwatch.records;

import org.apache.kafka.common.serialization.Serdes;

import java.util.List;

/** The catalogue of netwatch topics: their names are the public contract documented in docs/topics.md. */
public final class Topics {
    private static final long HOUR_MS = 3_600_000L;

    private Topics() {
    }

    /** Every decoded frame, keyed by its canonical bidirectional flow key; raw data, kept briefly. */
    public static final Topic<String, PacketRecord> PACKETS = new Topic<>("netwatch.packets.v1", Serdes.String(),
            new JsonSerde<>(PacketRecord.class), false, 0, 6 * HOUR_MS);

    /**
     * The same packet records in batches, one batch per probe and partition (see {@link PacketBatch}); what a
     * probe publishes with {@code packet-format=batches}, so that readers pay Kafka's per-record costs per batch.
     */
    public static final Topic<String, PacketBatch> PACKET_BATCHES = new Topic<>("netwatch.packet-batches.v1",
            Serdes.String(), new JsonSerde<>(PacketBatch.class), false, 0, 6 * HOUR_MS);

    /** The latest status of each probe, keyed by probe id. */
    public static final Topic<String, ProbeStatus> PROBE_STATUS = new Topic<>("netwatch.probe-status.v1",
            Serdes.String(), new JsonSerde<>(ProbeStatus.class), true, 1, 0);

    /** Control commands, keyed by the probe id they are for. */
    public static final Topic<String, ProbeCommand> PROBE_COMMANDS = new Topic<>("netwatch.probe-commands.v1",
            Serdes.String(), new JsonSerde<>(ProbeCommand.class), false, 1, 24 * HOUR_MS);

    /** Bidirectional flows, keyed by flow key like the packets they come from (so they co-partition). */
    public static final Topic<String, FlowRecord> FLOWS = new Topic<>("netwatch.flows.v1", Serdes.String(),
            new JsonSerde<>(FlowRecord.class), false, 0, 7 * 24 * HOUR_MS);

    /**
     * What each probe knows of its flows as they go: a start, at most one active update per interval, and an end
     * (see {@link FlowUpdate}), keyed by flow key like the packets (so they co-partition). Written by a probe with
     * {@code flow-updates=true}; far fewer records than packets, which is what consumers that need flows and not
     * every frame read.
     */
    public static final Topic<String, FlowUpdate> FLOW_UPDATES = new Topic<>("netwatch.flow-updates.v1",
            Serdes.String(), new JsonSerde<>(FlowUpdate.class), false, 0, 7 * 24 * HOUR_MS);

    /** Traffic metrics per probe and window, keyed by {@code probe_id/resolution}. */
    public static final Topic<String, TrafficMetrics> METRICS = new Topic<>("netwatch.metrics.v1", Serdes.String(),
            new JsonSerde<>(TrafficMetrics.class), false, 0, 7 * 24 * HOUR_MS);

    /** Detections, keyed by alert id; an alert's updates share its id (and so its partition). */
    public static final Topic<String, Alert> ALERTS = new Topic<>("netwatch.alerts.v1", Serdes.String(),
            new JsonSerde<>(Alert.class), false, 0, 30 * 24 * HOUR_MS);

    /** What is known of each address, keyed by address; compacted, so it is the latest intel per address. */
    public static final Topic<String, IpIntel> IP_INTEL = new Topic<>("netwatch.ip-intel.v1", Serdes.String(),
            new JsonSerde<>(IpIntel.class), true, 0, 0);

    /** Alerts with the intel of their source and target, keyed by alert id. */
    public static final Topic<String, EnrichedAlert> ALERTS_ENRICHED = new Topic<>("netwatch.alerts-enriched.v1",
            Serdes.String(), new JsonSerde<>(EnrichedAlert.class), false, 0, 30 * 24 * HOUR_MS);

    /** Every public topic of docs/topics.md. */
    public static List<Topic<?, ?>> all() {
        return List.of(PACKETS, PACKET_BATCHES, PROBE_STATUS, PROBE_COMMANDS, FLOW_UPDATES, FLOWS, METRICS, ALERTS,
                IP_INTEL, ALERTS_ENRICHED);
    }

    /** The topics the probe writes and reads. */
    public static List<Topic<?, ?>> probe() {
        return List.of(PACKETS, PACKET_BATCHES, PROBE_STATUS, PROBE_COMMANDS, FLOW_UPDATES);
    }

    /** The topics the flow-service reads and writes. */
    public static List<Topic<?, ?>> flow() {
        return List.of(PACKETS, PACKET_BATCHES, FLOW_UPDATES, FLOWS, METRICS);
    }
}
