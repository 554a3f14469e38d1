package io.netwatch.detection;

import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.records.EventTime;
import io.netwatch.records.FlowSource;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketBatchSplitter;
import io.netwatch.records.StreamsDrain;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.Map;

/**
 * The detection-service topology. A plain method from settings to {@link Topology}, tested with
 * TopologyTestDriver without starting Quarkus.
 *
 * <pre>
 * packet-batches-source -> packet-batch-splitter
 * packets-source, packet-batch-splitter -> packet-inspector [attempt-store]
 *                                                    -> observations-sink (netwatch.detection-observations.v1)
 *                                                    -> hits-sink (netwatch.detection-hits.v1)
 * flows-source   -> flow-inspector                   -> observations-sink
 * observations-source -> window-evaluator [rule-window-store, rule-distinct-store, traffic-baseline-store,
 *                                                                          beacon-store]
 *                                                    -> hits-sink
 * hits-source -> alert-suppressor [alert-store] -> alerts-sink (netwatch.alerts.v1)
 * </pre>
 *
 * With {@link FlowSource#FLOW_UPDATES} the packet inspector also reads the probes' flow updates, co-partitioned
 * with the packets, and keeps the flows whose connection attempt waits for its outcome:
 * <pre>
 * flow-updates-source, packets-source, packet-batch-splitter -> packet-inspector [flow-progress-store]
 * </pre>
 * and takes finished flows from the probes' end updates: netwatch.flows.v1 is not read then.
 */
public final class DetectionTopology {
    public static final String ATTEMPT_STORE = "attempt-store";
    public static final String PROGRESS_STORE = "flow-progress-store";
    public static final String WINDOW_STORE = "rule-window-store";
    public static final String DISTINCT_STORE = "rule-distinct-store";
    public static final String BASELINE_STORE = "traffic-baseline-store";
    public static final String BEACON_STORE = "beacon-store";
    public static final String ALERT_STORE = "alert-store";

    /** Internal: what windowed rules count, keyed by rule and entity. */
    public static final Topic<String, Observation> OBSERVATIONS = new Topic<>("netwatch.detection-observations.v1",
            Serdes.String(), Observation.SERDE, false, 0, 6 * 3_600_000L);
    /** Internal: single hits, keyed by what suppression groups by (rule, source, target). */
    public static final Topic<String, io.netwatch.records.Alert> HITS = new Topic<>("netwatch.detection-hits.v1",
            Serdes.String(), Topics.ALERTS.valueSerde(), false, 0, 6 * 3_600_000L);

    /** The names of the topics the topology reads and writes: the contract's, or a test's own. */
    public record Names(String packets, String packetBatches, String flows, String observations, String hits,
                        String alerts, String flowUpdates) {
        public static final Names CONTRACT = new Names(Topics.PACKETS.name(), Topics.PACKET_BATCHES.name(),
                Topics.FLOWS.name(), OBSERVATIONS.name(), HITS.name(), Topics.ALERTS.name(),
                Topics.FLOW_UPDATES.name());
    }

    private DetectionTopology() {
    }

    public static Topology build(DetectionSettings settings) {
        return build(settings, true, Names.CONTRACT);
    }

    /**
     * @param persistent RocksDB stores, as the service runs; in-memory ones keep tests that push whole captures
     *                   through TopologyTestDriver fast
     */
    public static Topology build(DetectionSettings settings, boolean persistent, Names names) {
        return build(settings, persistent, names, InputWatch.NONE, Map.of());
    }

    /**
     * @param input            whether quiet on the input counts as quiet on the wire now: windows age on the wall
     *                         clock only then
     * @param packetPartitions partitions of each packet topic: a probe's run has ended once every one has seen its
     *                         end-of-run marker. Without a topic's count its runs' windows close on quiet alone.
     */
    public static Topology build(DetectionSettings settings, boolean persistent, Names names, InputWatch input,
                                 Map<String, Integer> packetPartitions) {
        return build(settings, persistent, names, input, packetPartitions, StreamsDrain.NONE);
    }

    /** @param drain tells the processors that the service is about to close its streams */
    public static Topology build(DetectionSettings settings, boolean persistent, Names names, InputWatch input,
                                 Map<String, Integer> packetPartitions, StreamsDrain drain) {
        Topology t = new Topology();
        t.addSource(AutoOffsetReset.earliest(), "packets-source", new EventTime(), new StringDeserializer(),
                Topics.PACKETS.valueSerde().deserializer(), names.packets());
        PacketBatchSplitter.addTo(t, names.packetBatches());
        boolean fromUpdates = settings.source() == FlowSource.FLOW_UPDATES;
        if (fromUpdates) {
            t.addSource(AutoOffsetReset.earliest(), "flow-updates-source", new EventTime(), new StringDeserializer(),
                    Topics.FLOW_UPDATES.valueSerde().deserializer(), names.flowUpdates());
        }
        String[] inputs = fromUpdates ? new String[]{"flow-updates-source", "packets-source", PacketBatchSplitter.NAME}
                : new String[]{"packets-source", PacketBatchSplitter.NAME};
        t.addProcessor("packet-inspector", () -> new PacketInspector(settings, packetPartitions, drain), inputs);
        if (!fromUpdates) {
            // from flow updates, the probes' end updates tell the packet inspector what the flows would
            t.addSource(AutoOffsetReset.earliest(), "flows-source", new EventTime(), new StringDeserializer(),
                    Topics.FLOWS.valueSerde().deserializer(), names.flows());
            t.addProcessor("flow-inspector", () -> new FlowInspector(settings), "flows-source");
        }
        if (fromUpdates) {
            // a put when a flow's attempt opens and a delete when a later update (about a second on, past any
            // commit) or the timeout decides it: a cache would only add its sorted map's cost to every step
            t.addStateStore(store(PROGRESS_STORE, persistent, false, Serdes.String(), Serdes.ByteArray()),
                    "packet-inspector");
        } else {
            t.addStateStore(store(ATTEMPT_STORE, persistent, Serdes.String(), Attempt.SERDE), "packet-inspector");
        }
        String[] observers = fromUpdates ? new String[]{"packet-inspector"}
                : new String[]{"packet-inspector", "flow-inspector"};
        t.addSink(PacketInspector.OBSERVATIONS, names.observations(), new StringSerializer(),
                OBSERVATIONS.valueSerde().serializer(), new ObservationPartitioner(), observers);

        t.addSource(AutoOffsetReset.earliest(), "observations-source", new EventTime(), new StringDeserializer(),
                OBSERVATIONS.valueSerde().deserializer(), names.observations());
        t.addProcessor("window-evaluator", () -> new WindowEvaluator(settings, input), "observations-source");
        t.addStateStore(store(WINDOW_STORE, persistent, Serdes.String(), WindowState.SERDE), "window-evaluator");
        t.addStateStore(store(DISTINCT_STORE, persistent, Serdes.String(), Serdes.Boolean()), "window-evaluator");
        t.addStateStore(store(BASELINE_STORE, persistent, Serdes.String(),
                TrafficSpikeRule.Baseline.SERDE),
                "window-evaluator");
        t.addStateStore(store(BEACON_STORE, persistent, Serdes.String(), BeaconState.SERDE), "window-evaluator");
        t.addSink(PacketInspector.HITS, names.hits(), new StringSerializer(), HITS.valueSerde().serializer(),
                "packet-inspector", "window-evaluator");

        t.addSource(AutoOffsetReset.earliest(), "hits-source", new EventTime(), new StringDeserializer(),
                HITS.valueSerde().deserializer(), names.hits());
        t.addProcessor("alert-suppressor", () -> new AlertSuppressor(settings), "hits-source");
        t.addStateStore(store(ALERT_STORE, persistent, Serdes.String(), OpenAlert.SERDE), "alert-suppressor");
        t.addSink("alerts-sink", names.alerts(), new StringSerializer(), Topics.ALERTS.valueSerde().serializer(),
                "alert-suppressor");
        return t;
    }

    /**
     * Every store is cached: rule state changes with each packet or observation, and its changelog needs the
     * latest value once per commit, not every step in between.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, boolean persistent,
                                                                    Serde<String> keySerde, Serde<V> valueSerde) {
        return store(name, persistent, true, keySerde, valueSerde);
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, boolean persistent, boolean cached,
                                                                    Serde<String> keySerde, Serde<V> valueSerde) {
        KeyValueBytesStoreSupplier supplier = persistent ? Stores.persistentKeyValueStore(name)
                : Stores.inMemoryKeyValueStore(name);
        StoreBuilder<KeyValueStore<String, V>> b = Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde);
        return cached ? b.withCachingEnabled() : b;
    }

    /** Every topic the topology reads or writes; they must exist before it starts. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.PACKETS, Topics.PACKET_BATCHES, Topics.FLOW_UPDATES, Topics.FLOWS, Topics.ALERTS,
                OBSERVATIONS, HITS);
    }
}
