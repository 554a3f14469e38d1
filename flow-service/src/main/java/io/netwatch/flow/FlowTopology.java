package io.netwatch.flow;

import io.netwatch.records.EventTime;
import io.netwatch.records.FlowSource;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketBatchSplitter;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The flow-service topology: packets in, flows and traffic metrics out. A plain method from settings to
 * {@link Topology}, so it is tested with TopologyTestDriver without starting Quarkus.
 *
 * <pre>
 * packet-batches-source -> packet-batch-splitter
 * packets-source, packet-batch-splitter -> flow-assembler [flow-state-store] -> flows-sink (netwatch.flows.v1)
 *                                                      -> tallies-sink (netwatch.flow-tallies.v1, by probe)
 * tallies-source -> metrics-aggregator [traffic-window-store] -> metrics-sink (netwatch.metrics.v1)
 * </pre>
 *
 * With {@link FlowSource#FLOW_UPDATES} the flows come from the probes' flow tables instead:
 * <pre>
 * flow-updates-source, packets-source, packet-batch-splitter -> flow-update-merger [flow-update-store]
 *                                                      -> flows-sink, tallies-sink
 * </pre>
 */
public final class FlowTopology {
    public static final String FLOW_STORE = "flow-state-store";
    public static final String METRICS_STORE = "traffic-window-store";
    public static final String UPDATE_STORE = "flow-update-store";
    static final String FLOWS_SINK = "flows-sink";
    static final String TALLIES_SINK = "tallies-sink";

    /** Internal to the flow-service: per-partition tallies, re-keyed by probe for the aggregator. */
    public static final Topic<String, TrafficTally> TALLIES = new Topic<>("netwatch.flow-tallies.v1", Serdes.String(),
            TrafficTally.SERDE, false, 0, 6 * 3_600_000L);

    /** The names of the topics the topology reads and writes: the contract's, or a test's own. */
    public record Names(String packets, String packetBatches, String flows, String metrics, String tallies,
                        String flowUpdates) {
        public static final Names CONTRACT = new Names(Topics.PACKETS.name(), Topics.PACKET_BATCHES.name(),
                Topics.FLOWS.name(), Topics.METRICS.name(), TALLIES.name(), Topics.FLOW_UPDATES.name());
    }

    private FlowTopology() {
    }

    public static Topology build(FlowSettings settings) {
        return build(settings, true, Names.CONTRACT);
    }

    public static Topology build(FlowSettings settings, boolean persistent) {
        return build(settings, persistent, Names.CONTRACT);
    }

    /**
     * @param persistent RocksDB stores, as the service runs; in-memory ones let tests that push whole captures
     *                   through TopologyTestDriver (which commits after every record) run in seconds
     */
    public static Topology build(FlowSettings settings, boolean persistent, Names names) {
        return build(settings, persistent, names, InputWatch.NONE);
    }

    /** @param input whether quiet on the input counts as quiet on the wire now: flows age on the wall clock only then */
    public static Topology build(FlowSettings settings, boolean persistent, Names names, InputWatch input) {
        return build(settings, persistent, names, input, FlowSource.PACKETS);
    }

    public static Topology build(FlowSettings settings, boolean persistent, Names names, InputWatch input,
                                 FlowSource source) {
        return build(settings, persistent, names, input, source, StreamsDrain.NONE);
    }

    /** @param drain tells the processors that the service is about to close its streams */
    public static Topology build(FlowSettings settings, boolean persistent, Names names, InputWatch input,
                                 FlowSource source, StreamsDrain drain) {
        Topology t = new Topology();
        // A new deployment starts from the oldest retained packets: nothing between deploy and start is skipped.
        t.addSource(AutoOffsetReset.earliest(), "packets-source", new EventTime(), new StringDeserializer(),
                Topics.PACKETS.valueSerde().deserializer(),
                names.packets());
        PacketBatchSplitter.addTo(t, names.packetBatches());
        String flowProcessor;
        if (source == FlowSource.PACKETS) {
            flowProcessor = "flow-assembler";
            t.addProcessor(flowProcessor, () -> new FlowAssembler(settings, input, drain), "packets-source",
                    PacketBatchSplitter.NAME);
            // cached: each packet updates its flow's state, and the changelog needs it once per commit, not per packet
            t.addStateStore(Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(FLOW_STORE)
                    : Stores.inMemoryKeyValueStore(FLOW_STORE), Serdes.String(), Serdes.ByteArray())
                    .withCachingEnabled(), flowProcessor);
        } else {
            flowProcessor = "flow-update-merger";
            t.addSource(AutoOffsetReset.earliest(), "flow-updates-source", new EventTime(), new StringDeserializer(),
                    Topics.FLOW_UPDATES.valueSerde().deserializer(), names.flowUpdates());
            t.addProcessor(flowProcessor, () -> new FlowUpdateMerger(settings, drain), "flow-updates-source",
                    "packets-source", PacketBatchSplitter.NAME);
            // not cached: the probe sends a flow's updates at least its update interval (1 s) apart, past any
            // commit, so the cache met each key once between flushes (7,197 changelog records a second for 7,829
            // updates at 200,000 packets/s, docs/benchmarks.md) and only added its sorted map and entries to each step
            t.addStateStore(Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(UPDATE_STORE)
                    : Stores.inMemoryKeyValueStore(UPDATE_STORE), Serdes.String(), Serdes.ByteArray()),
                    flowProcessor);
        }
        t.addSink(FLOWS_SINK, names.flows(), new StringSerializer(), Topics.FLOWS.valueSerde().serializer(),
                flowProcessor);
        t.addSink(TALLIES_SINK, names.tallies(), new StringSerializer(), TALLIES.valueSerde().serializer(),
                flowProcessor);

        t.addSource(AutoOffsetReset.earliest(), "tallies-source", new EventTime(), new StringDeserializer(),
                TALLIES.valueSerde().deserializer(),
                names.tallies());
        t.addProcessor("metrics-aggregator", () -> new MetricsAggregator(settings), "tallies-source");
        t.addStateStore(Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(METRICS_STORE)
                : Stores.inMemoryKeyValueStore(METRICS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled(), "metrics-aggregator");
        t.addSink("metrics-sink", names.metrics(), new StringSerializer(),
                Topics.METRICS.valueSerde().serializer(), "metrics-aggregator");
        return t;
    }

    /** Every topic the topology reads or writes; they must exist before it starts. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.PACKETS, Topics.PACKET_BATCHES, Topics.FLOW_UPDATES, Topics.FLOWS, Topics.METRICS,
                TALLIES);
    }
}
