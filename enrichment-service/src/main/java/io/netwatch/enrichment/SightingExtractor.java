package io.netwatch.enrichment;

import io.netwatch.enrichment.geo.AddressScope;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpAddresses;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public addresses of flows and alerts, re-keyed by address, so each is looked up by one task. An address
 * forwarded moments ago is not forwarded again: popular addresses (a CDN, a resolver) are in most flows, and the
 * intel builder moves {@code last_seen} at most once a minute anyway.
 */
final class SightingExtractor implements Processor<String, Object, String, Sighting> {
    /**
     * Sightings of an address within this much event time after the one forwarded last are dropped. It adds at most
     * this much to how stale {@code last_seen} may be (a minute), and to when an expired TTL's lookup happens.
     */
    static final long REPEAT_US = 10_000_000;
    /** Addresses remembered, the least recently seen forgotten first: a forgotten one is only forwarded again. */
    static final int REMEMBERED = 65_536;

    private ProcessorContext<String, Sighting> context;
    private final Map<String, Long> forwarded = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Override
    public void init(ProcessorContext<String, Sighting> context) {
        this.context = context;
        // a revived task's last transaction may have been aborted: what it forwarded then is not on the topic
        forwarded.clear();
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
        Long at = forwarded.get(ip);
        if (at != null && ts >= at && ts < at + REPEAT_US) {
            return; // an earlier one still goes: it may move first_seen
        }
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return; // not an address (an alert about a MAC, say)
        }
        if (AddressScope.PUBLIC.equals(AddressScope.of(bytes))) {
            forwarded.put(ip, ts);
            context.forward(new Record<>(ip, new Sighting(ip, ts), ts / 1000));
        }
    }
}
