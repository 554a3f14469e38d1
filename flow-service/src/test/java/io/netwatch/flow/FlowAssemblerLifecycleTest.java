package io.netwatch.flow;

import io.netwatch.records.InputWatch;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.PacketRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the flow assembler keeps in memory (per-second tallies, clocks, active flows) across a task's life. */
class FlowAssemblerLifecycleTest {
    private static final long T0 = 1_700_000_000_000_000L;

    /**
     * Under exactly-once, Kafka Streams revives a corrupted task on the same processor instances: it restores the
     * stores to the last commit, calls {@code init} again and feeds the records since that commit once more. What
     * the processor keeps in memory must start over with it, or those records count twice.
     */
    @Test
    void aRevivedTaskCountsTheRecordsItIsFedAgainOnce() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        FlowAssembler assembler = new FlowAssembler(FlowSettings.defaults(), InputWatch.NONE,
                StreamsDrain.NONE);
        List<Packets.Keyed> sinceCommit = List.of(
                Packets.tcp(T0, "10.0.0.1", 40000, "10.0.0.2", 443, PacketRecord.SYN, 0),
                Packets.tcp(T0 + 1000, "10.0.0.1", 40001, "10.0.0.2", 443, PacketRecord.SYN, 0));

        initWithEmptyStore(context, assembler);
        sinceCommit.forEach(k -> process(assembler, k));
        // the transaction is aborted: the store comes back as of the last commit (empty), the records come again
        initWithEmptyStore(context, assembler);
        sinceCommit.forEach(k -> process(assembler, k));
        // a packet in the next second ends the first second's tally
        process(assembler, Packets.tcp(T0 + 1_500_000, "10.0.0.3", 40002, "10.0.0.2", 443, PacketRecord.SYN, 0));
        context.scheduledPunctuators().stream().filter(p -> p.getType() == PunctuationType.STREAM_TIME)
                .forEach(p -> p.getPunctuator().punctuate(0));

        List<TrafficTally> tallies = tallies(context);
        assertEquals(1, tallies.size(), "the first second's tally");
        assertEquals(2, tallies.get(0).packets, "packets of the first second, each once");
        assertEquals(2, tallies.get(0).newFlows, "flows started in the first second, each once");
        assertEquals(3, tallies.get(0).activeFlows, "active flows when the first second was sent");
    }

    /** Kafka Streams closes the processors before a clean stop's last commit: the open second goes out in it. */
    @Test
    void aCleanStopSendsTheTallyOfTheSecondStillOpen() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        FlowAssembler assembler = new FlowAssembler(FlowSettings.defaults(), InputWatch.NONE,
                StreamsDrain.NONE);
        initWithEmptyStore(context, assembler);
        process(assembler, Packets.tcp(T0, "10.0.0.1", 40000, "10.0.0.2", 443, PacketRecord.SYN, 0));
        assertEquals(List.of(), tallies(context), "the second is still open");
        assembler.close();
        List<TrafficTally> sent = tallies(context);
        assertEquals(1, sent.size());
        assertEquals(1, sent.get(0).packets);
    }

    private static List<TrafficTally> tallies(MockProcessorContext<String, Object> context) {
        return context.forwarded().stream()
                .filter(f -> FlowTopology.TALLIES_SINK.equals(f.childName().orElse(null)))
                .map(f -> (TrafficTally) f.record().value()).toList();
    }

    private static void initWithEmptyStore(MockProcessorContext<String, Object> context, FlowAssembler assembler) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(FlowTopology.FLOW_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.resetForwards();
        assembler.init(context);
    }

    private static void process(FlowAssembler assembler, Packets.Keyed k) {
        assembler.process(new Record<>(k.key(), k.value(), k.value().ts() / 1000));
    }
}
