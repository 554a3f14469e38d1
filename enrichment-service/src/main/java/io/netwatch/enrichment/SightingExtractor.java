package io.netwatch.enrichment;

import io.netwatch.enrichment.geo.AddressScope;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpAddresses;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The public addresses of flows and alerts, re-keyed by address, so each is looked up by one task. */
final class SightingExtractor implements Processor<String, Object, String, Sighting> {
    private ProcessorContext<String, Sighting> context;

    @Override
    public void init(ProcessorContext<String, Sighting> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof FlowRecord f) {
            sighted(f.srcIp(), f.lastSeen());
            sighted(f.dstIp(), f.lastSeen());
        } else if (record.value() instanceof Alert a) {
            sighted(a.srcIp(), a.lastSeen());
            sighted(a.dstIp(), a.lastSeen());
        }
    }

    private void sighted(String ip, long ts) {
        if (ip == null) {
            return;
        }
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return; // not an address (an alert about a MAC, say)
        }
        if (AddressScope.PUBLIC.equals(AddressScope.of(bytes))) {
            context.forward(new Record<>(ip, new Sighting(ip, ts), ts / 1000));
        }
    }
}
