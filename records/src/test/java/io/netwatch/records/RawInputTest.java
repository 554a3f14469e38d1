package io.netwatch.records;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the record context carries of the input, on Kafka Streams' real task code (TopologyTestDriver). */
class RawInputTest {
    /** What a processor sees of each record: its key, time, and the input bytes it carries. */
    record Seen(String key, long timestamp, long offset, byte[] sourceRawValue) {
    }

    static final class SeenRecorder implements Processor<String, Object, Void, Void> {
        private final List<Seen> seen;
        private ProcessorContext<Void, Void> context;

        SeenRecorder(List<Seen> seen) {
            this.seen = seen;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, Object> record) {
            InternalProcessorContext<?, ?> internal = (InternalProcessorContext<?, ?>) context;
            seen.add(new Seen(record.key(), record.timestamp(), context.recordMetadata().orElseThrow().offset(),
                    internal.recordContext().sourceRawValue()));
        }
    }

    @Test
    void kafkaStreamsCarriesTheInputsBytesIntoWhatIsForwardedFromIt() throws Exception {
        // The reason RawInput exists: if a Kafka Streams upgrade stops carrying them, this fails, and the
        // releases can go.
        Topology t = new Topology();
        t.addSource(PacketBatchSplitter.SOURCE, new StringDeserializer(),
                Topics.PACKET_BATCHES.valueSerde().deserializer(), PacketBatchSplitterTest.BATCHES);
        List<Seen> out = new ArrayList<>();
        // a source forwards through the same path as any processor, the splitter's included
        t.addProcessor("seen", () -> new SeenRecorder(out), PacketBatchSplitter.SOURCE);
        PacketBatchSplitterTest.run(t);
        assertEquals(1, out.size());
        assertNotNull(out.get(0).sourceRawValue(), "the batch's bytes ride along with the forwarded record");
    }

    @Test
    void aProcessorThatReleasesThemPassesOnNoneOfTheInputsBytes() throws Exception {
        Topology t = new Topology();
        t.addSource(PacketBatchSplitter.SOURCE, new StringDeserializer(),
                Topics.PACKET_BATCHES.valueSerde().deserializer(), PacketBatchSplitterTest.BATCHES);
        t.addProcessor("releasing", () -> new Processor<String, Object, String, Object>() {
            private ProcessorContext<String, Object> context;

            @Override
            public void init(ProcessorContext<String, Object> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, Object> record) {
                RawInput.release(context);
                context.forward(record);
            }
        }, PacketBatchSplitter.SOURCE);
        List<Seen> out = new ArrayList<>();
        t.addProcessor("seen", () -> new SeenRecorder(out), "releasing");
        PacketBatchSplitterTest.run(t);
        assertEquals(1, out.size());
        assertNull(out.get(0).sourceRawValue(), "what a cached store after it would keep");
        assertEquals(0L, out.get(0).offset(), "the input's offset stays, for commits");
    }
}
