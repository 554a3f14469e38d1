package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Packets of one probe that share a partition, as one record of {@code netwatch.packet-batches.v1}. A stream
 * processor pays Kafka's per-record costs (fetch, offsets, record queue, stream time, punctuation checks) once per
 * batch instead of once per packet. Each entry keeps the packet's own key (its canonical flow key), and a batch
 * only holds packets whose keys Kafka's default partitioner puts in the batch's partition, so a flow's packets
 * meet in one partition, in order, just as on {@code netwatch.packets.v1}.
 */
public record PacketBatch(@JsonProperty("probe_id") String probeId, List<Entry> packets) implements Timestamped {

    /**
     * Kafka header of each batch record: its number of packets in ASCII decimal, so a monitor counts packets
     * without parsing the JSON.
     */
    public static final String COUNT_HEADER = "netwatch.packets";

    /** Packets in a batch at most (docs/topics.md). */
    public static final int MAX_PACKETS = 256;

    /** One packet and its Kafka key on the packets topic. */
    public record Entry(String key, PacketRecord packet) {
    }

    /** The latest capture time in the batch: stream time moves once per batch. */
    @Override
    public long eventTimeUs() {
        long max = 0;
        for (Entry e : packets) {
            max = Math.max(max, e.packet().ts());
        }
        return max;
    }
}
