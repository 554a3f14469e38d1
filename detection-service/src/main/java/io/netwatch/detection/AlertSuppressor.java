package io.netwatch.detection;

import io.netwatch.records.Alert;
import io.netwatch.records.RawInput;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Folds hits into alerts: one alert per (rule, probe, source, target) while its hits keep coming closer together than
 * the suppression window. The first hit publishes the alert; later hits raise its count and last-seen, published
 * again when the count reaches a power of two, and the rest by a wall-clock flush, so an alert's final count is
 * published without an update per hit.
 */
final class AlertSuppressor implements Processor<String, Alert, String, Alert> {
    private static final int MAX_PORTS = 20;

    private final DetectionSettings settings;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, OpenAlert> open;
    /** Event time per probe: hits are keyed by probe, and an alert is forgotten on its own probe's clock. */
    private final Map<String, Long> streamTimes = new HashMap<>();

    AlertSuppressor(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.open = context.getStateStore(DetectionTopology.ALERT_STORE);
        streamTimes.clear(); // a revived task is initialised again on the same instance (PacketInspector.init)
        context.schedule(settings.alertFlush(), PunctuationType.WALL_CLOCK_TIME, t -> flush());
    }

    @Override
    public void process(Record<String, Alert> record) {
        RawInput.release(context); // a cached store keeps what the context holds
        Alert hit = record.value();
        if (hit == null) {
            return;
        }
        streamTimes.merge(String.valueOf(hit.probeId()), hit.lastSeen(), Math::max);
        OpenAlert current = open.get(record.key());
        if (current == null || hit.ts() > current.alert().lastSeen() + settings.suppressionUs()) {
            if (current != null && current.dirty()) {
                context.forward(new Record<>(current.alert().alertId(), current.alert(),
                        current.alert().lastSeen() / 1000));
            }
            Alert a = new Alert(idOf(record.key(), hit.ts()), hit.rule(), hit.severity(), hit.ts(), hit.lastSeen(), 1,
                    hit.probeId(), hit.srcIp(), hit.dstIp(), hit.dstPorts(), hit.description(), hit.evidence(),
                    hit.mitreTechnique());
            publish(record.key(), a);
            return;
        }
        Alert was = current.alert();
        String severity = Alert.rank(hit.severity()) > Alert.rank(was.severity()) ? hit.severity() : was.severity();
        Alert a = new Alert(was.alertId(), was.rule(), severity, was.ts(), Math.max(was.lastSeen(), hit.lastSeen()),
                was.count() + 1, was.probeId(), was.srcIp(), was.dstIp(), ports(was.dstPorts(), hit.dstPorts()),
                hit.description(), hit.evidence(), was.mitreTechnique());
        if (Long.bitCount(a.count()) == 1) {
            publish(record.key(), a);
        } else {
            open.put(record.key(), new OpenAlert(a, current.publishedCount()));
        }
    }

    /** Same traffic, same id: the key names rule, source and target; the first hit's time names the episode. */
    static String idOf(String key, long firstTs) {
        return UUID.nameUUIDFromBytes((key + "|" + firstTs).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<Integer> ports(List<Integer> a, List<Integer> b) {
        if (b == null || (a != null && a.containsAll(b))) {
            return a;
        }
        TreeSet<Integer> all = new TreeSet<>(b);
        if (a != null) {
            all.addAll(a);
        }
        List<Integer> out = new ArrayList<>(all);
        return out.size() > MAX_PORTS ? out.subList(0, MAX_PORTS) : out;
    }

    private void publish(String key, Alert a) {
        open.put(key, new OpenAlert(a, a.count()));
        context.forward(new Record<>(a.alertId(), a, a.lastSeen() / 1000));
    }

    /** Publishes alerts with unpublished hits, and forgets alerts whose suppression window has passed. */
    private void flush() {
        List<KeyValue<String, OpenAlert>> all = new ArrayList<>();
        try (KeyValueIterator<String, OpenAlert> it = open.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, OpenAlert> kv : all) {
            OpenAlert o = kv.value;
            if (o.dirty()) {
                publish(kv.key, o.alert());
            } else if (o.alert().lastSeen() + settings.suppressionUs()
                    < streamTimes.getOrDefault(String.valueOf(o.alert().probeId()), Long.MIN_VALUE)) {
                // put(key, null) deletes without reading and decoding the old value, as delete() does to return it
                open.put(kv.key, null);
            }
        }
    }
}
