package io.netwatch.flow;

import io.netwatch.records.JsonSerde;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The flow-service topology: packets in, flows and traffic metrics out. A plain method from settings to
 * {@link Topology}, so it is tested with TopologyTestDriver without starting Quarkus.
 *
 * <pre>
 * packets-source -> flow-assembler [flow-state-store] -> flows-sink (netwatch.flows.v1)
 *                                                      -> tallies-sink (netwatch.flow-tallies.v1, by probe)
 * tallies-source -> metrics-aggregator [traffic-window-store] -> metrics-sink (netwatch.metrics.v1)
 * </pre>
 */
public final class FlowTopology {
    public static final String FLOW_STORE = "flow-state-store";
    public static final String METRICS_STORE = "traffic-window-store";
    static final String FLOWS_SINK = "flows-sink";
    static final String TALLIES_SINK = "tallies-sink";

    /** Internal to the flow-service: per-partition tallies, re-keyed by probe for the aggregator. */
    public static final Topic<String, TrafficTally> TALLIES = new Topic<>("netwatch.flow-tallies.v1", Serdes.String(),
            new JsonSerde<>(TrafficTally.class), false, 0, 6 * 3_600_000L);

    private FlowTopology() {
    }

    public static Topology build(FlowSettings settings) {
        return build(settings, true);
    }

    /**
     * @param persistent RocksDB stores, as the service runs; in-memory ones let tests that push whole captures
     *                   through TopologyTestDriver (which commits after every record) run in seconds
     */
    public static Topology build(FlowSettings settings, boolean persistent) {
        Topology t = new Topology();
        t.addSource("packets-source", new StringDeserializer(), Topics.PACKETS.valueSerde().deserializer(),
                Topics.PACKETS.name());
        t.addProcessor("flow-assembler", () -> new FlowAssembler(settings), "packets-source");
        t.addStateStore(Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(FLOW_STORE)
                : Stores.inMemoryKeyValueStore(FLOW_STORE), Serdes.String(), Serdes.ByteArray()), "flow-assembler");
        t.addSink(FLOWS_SINK, Topics.FLOWS.name(), new StringSerializer(), Topics.FLOWS.valueSerde().serializer(),
                "flow-assembler");
        t.addSink(TALLIES_SINK, TALLIES.name(), new StringSerializer(), TALLIES.valueSerde().serializer(),
                "flow-assembler");

        t.addSource("tallies-source", new StringDeserializer(), TALLIES.valueSerde().deserializer(), TALLIES.name());
        t.addProcessor("metrics-aggregator", () -> new MetricsAggregator(settings), "tallies-source");
        t.addStateStore(Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(METRICS_STORE)
                : Stores.inMemoryKeyValueStore(METRICS_STORE), Serdes.String(), TALLIES.valueSerde()),
                "metrics-aggregator");
        t.addSink("metrics-sink", Topics.METRICS.name(), new StringSerializer(),
                Topics.METRICS.valueSerde().serializer(), "metrics-aggregator");
        return t;
    }

    /** Every topic the topology reads or writes; they must exist before it starts. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.PACKETS, Topics.FLOWS, Topics.METRICS, TALLIES);
    }
}
