package io.netwatch.probe.publish;

import io.netwatch.records.Topics;

/** How a probe publishes its packet records: one Kafka record each, or in batches per partition. */
public enum PacketFormat {
    /** One record per packet on {@code netwatch.packets.v1}: for tools that read packets one by one. */
    PACKETS(Topics.PACKETS.name()),
    /** {@code netwatch.packet-batches.v1}: fewer Kafka records for every reader (docs/benchmarks.md). */
    BATCHES(Topics.PACKET_BATCHES.name());

    public final String topic;

    PacketFormat(String topic) {
        this.topic = topic;
    }

    /** From a setting: {@code packets} or {@code batches}. */
    public static PacketFormat of(String setting) {
        for (PacketFormat f : values()) {
            if (f.name().equalsIgnoreCase(setting.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("packet format must be packets or batches, not '" + setting + "'");
    }
}
