package io.netwatch.records;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The splitter on Kafka Streams' real task code (TopologyTestDriver), as the flow- and detection-service run it. */
class PacketBatchSplitterTest {
    static final String BATCHES = "batches";

    private static final PacketBatch BATCH = new PacketBatch("node-1", List.of(
            new PacketBatch.Entry("flow-a", SamplePackets.FULL),
            new PacketBatch.Entry("flow-b", SamplePackets.SPARSE)));

    static void run(Topology t) throws Exception {
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
    void eachPacketGoesOnWithItsKeyAndTimeAndWithoutTheBatchsBytes() throws Exception {
        Topology t = new Topology();
        PacketBatchSplitter.addTo(t, BATCHES);
        List<RawInputTest.Seen> out = new ArrayList<>();
        t.addProcessor("seen", () -> new RawInputTest.SeenRecorder(out), PacketBatchSplitter.NAME);
        run(t);
        assertEquals(List.of("flow-a", "flow-b"), out.stream().map(RawInputTest.Seen::key).toList());
        assertEquals(List.of(SamplePackets.FULL.ts() / 1000, SamplePackets.SPARSE.ts() / 1000),
                out.stream().map(RawInputTest.Seen::timestamp).toList(), "each packet's capture time, in ms");
        assertEquals(List.of(0L, 0L), out.stream().map(RawInputTest.Seen::offset).toList(),
                "the batch's offset, for commits");
        for (RawInputTest.Seen s : out) {
            assertTrue(s.sourceRawValue() == null, "a cached store would keep the whole batch alive for " + s.key());
        }
    }
}
