package io.netwatch.records;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;

/**
 * The input record's raw key and value, which Kafka Streams 4.1 keeps in the record context for its error handlers
 * (KIP-1034), copies into every record forwarded from it, and stores with every entry a cached store is written
 * while it is current. The cache keeps them until the entry is evicted, without counting them against its size
 * ({@code ProcessorRecordContext.residentMemorySizeEstimate}). With batches, a 16 MiB cache of flow states held about
 * 290 MB of input alive and the flow-service spent most of its time in full collections; with one record per
 * packet, every cached flow, connection attempt and window state keeps a packet's or observation's bytes
 * (docs/benchmarks.md). No handler netwatch configures reads them: records that do not deserialize are logged by
 * topic, partition and offset before any processor runs.
 */
public final class RawInput {
    private RawInput() {
    }

    /**
     * Drops the current input record's raw bytes, for processors that write cached stores (or forward to them).
     * Call it first in {@code process}.
     */
    public static void release(ProcessorContext<?, ?> context) {
        if (context instanceof InternalProcessorContext<?, ?> internal && internal.recordContext() != null) {
            internal.recordContext().freeRawRecord();
        }
    }
}
