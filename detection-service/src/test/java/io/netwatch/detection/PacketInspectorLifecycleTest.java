package io.netwatch.detection;

import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.StreamsDrain;
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
    private final StreamsDrain drain = new StreamsDrain();
    private final PacketInspector inspector = new PacketInspector(DetectionSettings.defaults(), Map.of(), drain);

    /** Where close() comes before the commit (a rebalance), the open second goes out in it. */
    @Test
    void closeSendsTheSumsOfTheSecondStillOpen() {
        init();
        process(Packets.tcp(at(1), "10.0.0.1", 40000, "10.0.0.2", 443, PSH | ACK, 1500));
        assertEquals(List.of(), spikes(), "the second is still open");
        inspector.close();
        assertEquals(List.of(1500L), spikes().stream().map(Observation::amount).toList(), "the probe's bytes");
    }

    /**
     * A clean stop commits before it closes the processors, so the service drains first: from then on each
     * record's sums go out as it is processed (and a wall-clock punctuation sends what was open before), into the
     * commit that also covers the record.
     */
    @Test
    void whileTheServiceDrainsEachSecondsSumsGoOutAtOnce() {
        init();
        process(Packets.tcp(at(1), "10.0.0.1", 40000, "10.0.0.2", 443, PSH | ACK, 1500));
        assertEquals(List.of(), spikes(), "the second is still open");
        drain.begin();
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        assertEquals(List.of(1500L), spikes().stream().map(Observation::amount).toList(), "sent by the punctuation");
        process(Packets.tcp(at(1) + 10, "10.0.0.1", 40000, "10.0.0.2", 443, PSH | ACK, 1000));
        assertEquals(List.of(1500L, 1000L), spikes().stream().map(Observation::amount).toList(),
                "and the next record's at once: the rules add the two sums of the same second");
        inspector.close();
        assertEquals(2, spikes().size(), "nothing left for close()");
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
