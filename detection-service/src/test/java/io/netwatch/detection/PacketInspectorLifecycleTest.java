package io.netwatch.detection;

import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.probe.decode.PacketRecordFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.netwatch.detection.Packets.at;
import static io.netwatch.records.PacketRecord.ACK;
import static io.netwatch.records.PacketRecord.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the packet inspector keeps in memory (per-second sums, clocks, deadlines) across a task's life. */
class PacketInspectorLifecycleTest {
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final PacketInspector inspector = new PacketInspector(DetectionSettings.defaults(), Map.of());

    /** Kafka Streams closes the processors before a clean stop's last commit: the open second goes out in it. */
    @Test
    void aCleanStopSendsTheSumsOfTheSecondStillOpen() {
        init();
        process(Packets.tcp(at(1), "10.0.0.1", 40000, "10.0.0.2", 443, PSH | ACK, 1500));
        assertEquals(List.of(), spikes(), "the second is still open");
        inspector.close();
        assertEquals(List.of(1500L), spikes().stream().map(Observation::amount).toList(), "the probe's bytes");
    }

    /**
     * A revived task (stores back at the last commit, the records since then fed again) is initialised again on
     * the same instance: sums it had counted before count once, not twice.
     */
    @Test
    void aRevivedTaskCountsTheRecordsItIsFedAgainOnce() {
        PacketRecordFactory.Keyed packet = Packets.tcp(at(1), "10.0.0.1", 40000, "10.0.0.2", 443, PSH | ACK, 1500);
        init();
        process(packet);
        init();
        process(packet);
        inspector.close();
        assertEquals(List.of(1500L), spikes().stream().map(Observation::amount).toList(), "the probe's bytes");
    }

    private void init() {
        KeyValueStore<String, Attempt> attempts = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DetectionTopology.ATTEMPT_STORE), Serdes.String(), Attempt.SERDE)
                .withLoggingDisabled().build();
        attempts.init(context.getStateStoreContext(), attempts);
        context.addStateStore(attempts);
        context.resetForwards();
        inspector.init(context);
    }

    private void process(PacketRecordFactory.Keyed k) {
        inspector.process(new Record<>(k.key(), k.record(), k.record().ts() / 1000));
    }

    /** The probe-wide traffic sums sent to the window evaluator. */
    private List<Observation> spikes() {
        return context.forwarded().stream().map(f -> f.record().value())
                .filter(v -> v instanceof Observation o && o.rule().equals(TrafficSpikeRule.NAME)
                        && o.entity().startsWith("probe:"))
                .map(Observation.class::cast).toList();
    }
}
