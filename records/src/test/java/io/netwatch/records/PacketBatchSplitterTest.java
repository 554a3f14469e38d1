package io.netwatch.records;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The splitter on Kafka Streams' real task code (TopologyTestDriver), as the flow- and detection-service run it. */
class PacketBatchSplitterTest {
    private static final String BATCHES = "batches";

    /** What a processor after the splitter sees of each record: its key, time, and the input bytes it carries. */
    private record Seen(String key, long timestamp, long offset, byte[] sourceRawValue) {
    }

    private static final class SeenRecorder implements Processor<String, Object, Void, Void> {
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

    private static final PacketBatch BATCH = new PacketBatch("node-1", List.of(
            new PacketBatch.Entry("flow-a", SamplePackets.FULL),
            new PacketBatch.Entry("flow-b", SamplePackets.SPARSE)));

    private static void run(Topology t) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "splitter-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("splitter").toString());
        try (TopologyTestDriver d = new TopologyTestDriver(t, props, Instant.ofEpochMilli(0))) {
            TestInputTopic<String, PacketBatch> in = d.createInputTopic(BATCHES, new StringSerializer(),
                    Topics.PACKET_BATCHES.valueSerde().serializer());
            in.pipeInput("node-1", BATCH, 5L);
        }
    }

    @Test
    void kafkaStreamsCarriesTheInputsBytesIntoWhatIsForwardedFromIt() throws Exception {
        // The reason the splitter drops them: if a Kafka Streams upgrade stops carrying them, this fails, and the
        // release in the splitter can go.
        Topology t = new Topology();
        t.addSource(PacketBatchSplitter.SOURCE, new StringDeserializer(),
                Topics.PACKET_BATCHES.valueSerde().deserializer(), BATCHES);
        List<Seen> out = new ArrayList<>();
        // a source forwards through the same path as any processor, the splitter's included
        t.addProcessor("seen", () -> new SeenRecorder(out), PacketBatchSplitter.SOURCE);
        run(t);
        assertEquals(1, out.size());
        assertNotNull(out.get(0).sourceRawValue(), "the batch's bytes ride along with the forwarded record");
    }

    @Test
    void eachPacketGoesOnWithItsKeyAndTimeAndWithoutTheBatchsBytes() throws Exception {
        Topology t = new Topology();
        PacketBatchSplitter.addTo(t, BATCHES);
        List<Seen> out = new ArrayList<>();
        t.addProcessor("seen", () -> new SeenRecorder(out), PacketBatchSplitter.NAME);
        run(t);
        assertEquals(List.of("flow-a", "flow-b"), out.stream().map(Seen::key).toList());
        assertEquals(List.of(SamplePackets.FULL.ts() / 1000, SamplePackets.SPARSE.ts() / 1000),
                out.stream().map(Seen::timestamp).toList(), "each packet's capture time, in ms");
        assertEquals(List.of(0L, 0L), out.stream().map(Seen::offset).toList(), "the batch's offset, for commits");
        for (Seen s : out) {
            assertTrue(s.sourceRawValue() == null, "a cached store would keep the whole batch alive for " + s.key());
        }
    }
}
