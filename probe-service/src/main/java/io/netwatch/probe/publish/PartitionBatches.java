package io.netwatch.probe.publish;

import io.netwatch.records.PacketBatch;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Gathers packets into one open batch per partition, the partition Kafka's default partitioner gives the packet's
 * key (murmur2 of its UTF-8 bytes), so a batch's packets are the ones that would share its partition on
 * {@code netwatch.packets.v1}. A batch closes when it is full or older than the age limit, or on {@link #closeAll}.
 */
public final class PartitionBatches {
    private final int maxPackets;
    private final long maxAgeNanos;
    private final List<PacketBatch.Entry>[] open;
    private final long[] openedAt;

    @SuppressWarnings("unchecked")
    public PartitionBatches(int partitions, int maxPackets, long maxAgeNanos) {
        this.maxPackets = maxPackets;
        this.maxAgeNanos = maxAgeNanos;
        this.open = new List[partitions];
        this.openedAt = new long[partitions];
    }

    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Adds a packet; a batch it fills goes to {@code closed} with its partition. */
    public void add(PacketBatch.Entry e, long nowNanos, ObjIntConsumer<List<PacketBatch.Entry>> closed) {
        int p = partitionOf(e.key(), open.length);
        if (open[p] == null) {
            open[p] = new ArrayList<>(maxPackets);
            openedAt[p] = nowNanos;
        }
        open[p].add(e);
        if (open[p].size() >= maxPackets) {
            close(p, closed);
        }
    }

    /** Closes the batches opened before the age limit. */
    public void closeAged(long nowNanos, ObjIntConsumer<List<PacketBatch.Entry>> closed) {
        for (int p = 0; p < open.length; p++) {
            if (open[p] != null && nowNanos - openedAt[p] >= maxAgeNanos) {
                close(p, closed);
            }
        }
    }

    public void closeAll(ObjIntConsumer<List<PacketBatch.Entry>> closed) {
        for (int p = 0; p < open.length; p++) {
            if (open[p] != null) {
                close(p, closed);
            }
        }
    }

    private void close(int p, ObjIntConsumer<List<PacketBatch.Entry>> closed) {
        List<PacketBatch.Entry> b = open[p];
        open[p] = null;
        closed.accept(b, p);
    }
}
