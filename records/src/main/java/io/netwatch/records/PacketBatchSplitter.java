package io.netwatch.records;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards the packets of a {@link PacketBatch} one by one, each with its own key and capture time, so the
 * processors after it see exactly what they would see reading {@code netwatch.packets.v1}.
 *
 * <p>It first drops the batch's raw bytes ({@link RawInput}): every packet forwarded would carry the whole batch,
 * about 150 KB, into the cached stores after it.
 */
public final class PacketBatchSplitter implements Processor<String, PacketBatch, String, PacketRecord> {
    /** The name every topology gives this processor. */
    public static final String NAME = "packet-batch-splitter";
    /** The name every topology gives the batch topic's source. */
    public static final String SOURCE = "packet-batches-source";

    private ProcessorContext<String, PacketRecord> context;

    /**
     * Adds the batch topic's source and this splitter to a topology; the processors that read packets take
     * {@link #NAME} as a parent beside the packets topic's source.
     */
    public static void addTo(Topology t, String batchTopic) {
        // like the packets source: a new deployment starts from the oldest retained batches
        t.addSource(AutoOffsetReset.earliest(), SOURCE, new EventTime(), new StringDeserializer(),
                Topics.PACKET_BATCHES.valueSerde().deserializer(), batchTopic);
        t.addProcessor(NAME, PacketBatchSplitter::new, SOURCE);
    }

    @Override
    public void init(ProcessorContext<String, PacketRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, PacketBatch> record) {
        RawInput.release(context);
        PacketBatch batch = record.value();
        if (batch == null || batch.packets() == null) {
            return;
        }
        for (PacketBatch.Entry e : batch.packets()) {
            if (e == null || e.packet() == null) {
                continue;
            }
            context.forward(new Record<>(e.key(), e.packet(), Math.max(0, e.packet().ts() / 1000),
                    record.headers()));
        }
    }
}
