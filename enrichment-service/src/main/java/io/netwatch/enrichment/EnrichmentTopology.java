package io.netwatch.enrichment;

import io.netwatch.records.EventTime;
import io.netwatch.records.IpIntel;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.List;

/**
 * The enrichment-service topology. A plain method from settings to {@link Topology}.
 *
 * <pre>
 * flows-source, alerts-source -> sighting-extractor -> sightings-sink (netwatch.enrichment-sightings.v1, by address)
 * sightings-source -> intel-builder [ip-intel-store] -> intel-sink (netwatch.ip-intel.v1, compacted)
 * ip-intel topic -> global store [ip-intel-global]
 * alerts-source -> alert-enricher [ip-intel-global] -> enriched-sink (netwatch.alerts-enriched.v1)
 * </pre>
 */
public final class EnrichmentTopology {
    public static final String INTEL_STORE = "ip-intel-store";
    public static final String GLOBAL_INTEL_STORE = "ip-intel-global";

    /** Internal: public addresses seen, keyed by address. */
    public static final Topic<String, Sighting> SIGHTINGS = new Topic<>("netwatch.enrichment-sightings.v1",
            Serdes.String(), Sighting.SERDE, false, 0, 6 * 3_600_000L);

    /** The names of the topics the topology reads and writes: the contract's, or a test's own. */
    public record Names(String flows, String alerts, String sightings, String intel, String enriched) {
        public static final Names CONTRACT = new Names(Topics.FLOWS.name(), Topics.ALERTS.name(), SIGHTINGS.name(),
                Topics.IP_INTEL.name(), Topics.ALERTS_ENRICHED.name());
    }

    /**
     * @param ttl         an address's intel is looked up again after this long (wall clock)
     * @param maxInFlight provider checks running at once; addresses seen beyond that wait for their next sighting
     */
    public record Settings(Duration ttl, int maxInFlight) {
    }

    private EnrichmentTopology() {
    }

    public static Topology build(AddressIntel sources, Settings settings, boolean persistent, Names names) {
        Topology t = new Topology();
        t.addSource(AutoOffsetReset.earliest(), "flows-source", new EventTime(), new StringDeserializer(),
                Topics.FLOWS.valueSerde().deserializer(), names.flows());
        t.addSource(AutoOffsetReset.earliest(), "alerts-source", new EventTime(), new StringDeserializer(),
                Topics.ALERTS.valueSerde().deserializer(), names.alerts());
        t.addProcessor("sighting-extractor", SightingExtractor::new, "flows-source", "alerts-source");
        t.addSink("sightings-sink", names.sightings(), new StringSerializer(), SIGHTINGS.valueSerde().serializer(),
                "sighting-extractor");

        t.addSource(AutoOffsetReset.earliest(), "sightings-source", new EventTime(), new StringDeserializer(),
                SIGHTINGS.valueSerde().deserializer(), names.sightings());
        t.addProcessor("intel-builder", () -> new IntelBuilder(sources, settings.ttl(), settings.maxInFlight()),
                "sightings-source");
        KeyValueBytesStoreSupplier intel = persistent ? Stores.persistentKeyValueStore(INTEL_STORE)
                : Stores.inMemoryKeyValueStore(INTEL_STORE);
        t.addStateStore(Stores.keyValueStoreBuilder(intel, Serdes.String(), Topics.IP_INTEL.valueSerde()),
                "intel-builder");
        t.addSink("intel-sink", names.intel(), new StringSerializer(), Topics.IP_INTEL.valueSerde().serializer(),
                "intel-builder");

        // The ip-intel topic is the changelog of this global store: no second copy.
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GLOBAL_INTEL_STORE),
                        Serdes.String(), Topics.IP_INTEL.valueSerde()).withLoggingDisabled(), "ip-intel-global-source",
                new EventTime(), new StringDeserializer(), Topics.IP_INTEL.valueSerde().deserializer(), names.intel(),
                "ip-intel-global-updater", GlobalIntelUpdater::new);
        t.addProcessor("alert-enricher", () -> new AlertEnricher(sources), "alerts-source");
        t.addSink("enriched-sink", names.enriched(), new StringSerializer(),
                Topics.ALERTS_ENRICHED.valueSerde().serializer(), "alert-enricher");
        return t;
    }

    /** Keeps the global copy of the ip-intel topic. */
    static final class GlobalIntelUpdater implements Processor<String, IpIntel, Void, Void> {
        private KeyValueStore<String, IpIntel> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(GLOBAL_INTEL_STORE);
        }

        @Override
        public void process(Record<String, IpIntel> record) {
            store.put(record.key(), record.value());
        }
    }

    /** Every topic the topology reads or writes; they must exist before it starts. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.FLOWS, Topics.ALERTS, Topics.IP_INTEL, Topics.ALERTS_ENRICHED, SIGHTINGS);
    }
}
