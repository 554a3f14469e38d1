package io.netwatch.enrichment;

import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.IpIntel;
import io.netwatch.records.IpAddresses;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Adds to each alert what is known of its source and target: the ip-intel of every address (a global store of
 * the ip-intel topic), or, for an address not in it yet, GeoIP and the lists at once; an alert never waits for a
 * provider.
 */
final class AlertEnricher implements Processor<String, Alert, String, EnrichedAlert> {
    private final AddressIntel sources;
    private ProcessorContext<String, EnrichedAlert> context;
    private ReadOnlyKeyValueStore<String, IpIntel> intel;

    AlertEnricher(AddressIntel sources) {
        this.sources = sources;
    }

    @Override
    public void init(ProcessorContext<String, EnrichedAlert> context) {
        this.context = context;
        this.intel = context.getStateStore(EnrichmentTopology.GLOBAL_INTEL_STORE);
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert a = record.value();
        if (a == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        context.forward(new Record<>(record.key(), new EnrichedAlert(a, intelOf(a.srcIp(), a.lastSeen(), now),
                intelOf(a.dstIp(), a.lastSeen(), now)), record.timestamp()));
    }

    private IpIntel intelOf(String ip, long ts, long now) {
        if (ip == null) {
            return null;
        }
        IpIntel known = intel.get(ip);
        if (known != null) {
            return known;
        }
        try {
            IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return sources.local(ip, null, ts, now);
    }
}
