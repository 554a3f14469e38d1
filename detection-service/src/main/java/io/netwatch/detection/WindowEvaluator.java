package io.netwatch.detection;

import io.netwatch.detection.rules.BeaconRule;
import io.netwatch.detection.rules.Measure;
import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.detection.rules.WindowRule;
import io.netwatch.records.Alert;
import io.netwatch.records.DeadlineIndex;
import io.netwatch.records.InputWatch;
import io.netwatch.records.RawInput;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the windowed rules: observations arrive partitioned by rule and entity, each window's state lives in
 * the window store, and a hit goes out when the measure reaches the threshold (and again at each doubling). The
 * traffic spike rule keeps its moving baseline in a store of its own.
 */
final class WindowEvaluator implements Processor<String, Observation, String, Alert> {
    private static final Logger LOG = Logger.getLogger(WindowEvaluator.class);
    private final DetectionSettings settings;
    private final InputWatch input;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, WindowState> windows;
    /** The distinct values of open windows, one entry each: {@code rule|entity|window start|value}. */
    private KeyValueStore<String, Boolean> values;
    private KeyValueStore<String, TrafficSpikeRule.Baseline> baselines;
    private KeyValueStore<String, BeaconState> beacons;
    /**
     * Event time per probe (observation keys name the probe): a replay of an old capture beside a live probe
     * neither closes the live probe's windows nor has its own closed by the live clock.
     */
    private final Map<String, ProbeClock> clocks = new HashMap<>();
    /** {@code probe|run} -> the packet partitions that have reported the run's end so far. */
    private final Map<String, Set<Integer>> runEnds = new HashMap<>();

    private static final class ProbeClock {
        /** When each beacon series goes stale: no connection for twice the longest interval the rule looks for. */
        final DeadlineIndex beaconEnds = new DeadlineIndex();
        /** When each open window ends: windows close as event time passes them, without a scan of the store. */
        final DeadlineIndex ends = new DeadlineIndex();
        long streamTime = Long.MIN_VALUE;
        /** The second of the probe's first observation here (since this task started). */
        long firstSecond = Long.MAX_VALUE;
        /** Unknown until the first observation or wall-clock punctuation: a task's clock is not set while it starts. */
        long lastObservationWallMs = Long.MIN_VALUE;
    }

    WindowEvaluator(DetectionSettings settings, InputWatch input) {
        this.settings = settings;
        this.input = input;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.windows = context.getStateStore(DetectionTopology.WINDOW_STORE);
        this.values = context.getStateStore(DetectionTopology.DISTINCT_STORE);
        this.baselines = context.getStateStore(DetectionTopology.BASELINE_STORE);
        this.beacons = context.getStateStore(DetectionTopology.BEACON_STORE);
        clocks.clear(); // a revived task is initialised again on the same instance (PacketInspector.init)
        runEnds.clear(); // a run's end reported before is then not heard again: its windows wait for quiet
        try (KeyValueIterator<String, BeaconState> it = beacons.all()) {
            it.forEachRemaining(kv -> clockOf(kv.value.probeId).beaconEnds.put(kv.key, staleAt(kv.value)));
        }
        List<KeyValue<String, WindowState>> unknown = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = windows.all()) {
            while (it.hasNext()) {
                KeyValue<String, WindowState> kv = it.next();
                WindowRule rule = settings.windowRules().get(ruleOf(kv.key));
                if (rule == null) {
                    unknown.add(kv); // a rule since disabled
                } else {
                    clockOf(kv.value.probeId).ends.put(kv.key, endOf(kv.value, rule));
                }
            }
        }
        for (KeyValue<String, WindowState> kv : unknown) {
            forgetValues(kv.key, kv.value);
            windows.put(kv.key, null);
        }
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, Observation> record) {
        RawInput.release(context); // a cached store keeps what the context holds
        Observation o = record.value();
        if (o == null) {
            return;
        }
        if (o.isEndOfRun()) {
            endOfRun(o);
            return;
        }
        ProbeClock clock = clockOf(o.probeId());
        clock.lastObservationWallMs = context.currentSystemTimeMs();
        clock.firstSecond = Math.min(clock.firstSecond, Math.floorDiv(o.ts(), 1_000_000));
        if (o.ts() > clock.streamTime) {
            clock.streamTime = o.ts();
            // windows end as event time passes them; the index makes this a no-op while nothing is due
            expire(clock, clock.streamTime);
        }
        if (TrafficSpikeRule.NAME.equals(o.rule())) {
            spike(clock, record.key(), o);
            return;
        }
        if (BeaconRule.NAME.equals(o.rule())) {
            beacon(clock, record.key(), o);
            return;
        }
        WindowRule rule = settings.windowRules().get(o.rule());
        if (rule == null) {
            return;
        }
        WindowState s = windows.get(record.key());
        if (s == null || o.ts() >= s.start + rule.windowUs()) {
            if (s != null) {
                close(record.key(), rule, s);
            }
            s = WindowState.open(o, rule.threshold(), rule.measure() == Measure.DISTINCT);
            clock.ends.put(record.key(), endOf(s, rule));
        }
        s.last = Math.max(s.last, o.ts());
        switch (rule.measure()) {
            case COUNT -> s.value += Math.max(1, o.amount()); // from flow updates, several at once
            case SUM -> s.value += o.amount();
            case DISTINCT -> {
                if (o.value() == null || s.value >= WindowState.MAX_DISTINCT) {
                    break;
                }
                String valueKey = WindowState.valuesPrefix(record.key(), s.start) + o.value();
                if (values.get(valueKey) == null) {
                    values.put(valueKey, Boolean.TRUE);
                    s.value++;
                    addToSample(s.sample, o.value());
                }
            }
        }
        if (s.value >= s.nextHitAt) {
            hit(record.key(), rule, s);
            s.hitValue = s.value;
            s.nextHitAt = Math.max(s.nextHitAt * 2, s.value + 1);
        }
        windows.put(record.key(), s);
    }

    private void hit(String key, WindowRule rule, WindowState s) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put(rule.measure() == Measure.SUM ? "sum" : rule.measure() == Measure.COUNT ? "count" : "distinct",
                s.value);
        ev.put("threshold", rule.threshold());
        ev.put("window_s", rule.window().toSeconds());
        ev.put("window_start", s.start);
        List<Integer> ports = s.port != null ? List.of(s.port) : null;
        if (s.sample != null) {
            ev.put("sample", s.sample);
            List<Integer> sampledPorts = portsOf(s.sample);
            if (!sampledPorts.isEmpty()) {
                ports = sampledPorts;
            }
        }
        String target = s.dstIp;
        String source = s.srcIp;
        String entity = Observation.entityOf(key);
        if (rule.name().equals("arp_spoofing") || rule.name().equals("arp_mac_many_ips")) {
            // entities here are MAC addresses or the claimed IP, not a source and target in the IP sense
            ev.put("entity", entity);
            source = null;
        }
        if (rule.name().equals("dns_tunnel")) {
            ev.put("domain", entity.substring(entity.indexOf('>') + 1));
        }
        Alert h = Alert.hit(rule.name(), rule.severity(), rule.mitre(), s.last, s.probeId, source, target, ports,
                rule.describe(source != null ? source : entity, target, s.port,
                        s.value), ev);
        context.forward(new Record<>(key, h, s.last / 1000));
    }

    /** Keeps the lowest values (ports as numbers, the rest as text), sorted. */
    private static void addToSample(List<String> sample, String value) {
        int i = 0;
        while (i < sample.size() && compare(sample.get(i), value) < 0) {
            i++;
        }
        if (i < WindowState.SAMPLE) {
            sample.add(i, value);
            if (sample.size() > WindowState.SAMPLE) {
                sample.remove(sample.size() - 1);
            }
        }
    }

    private static int compare(String a, String b) {
        int pa = portOf(a);
        int pb = portOf(b);
        return pa >= 0 && pb >= 0 && pa != pb ? Integer.compare(pa, pb) : a.compareTo(b);
    }

    /** A window that ends after a hit reports its final measure, so the alert's evidence is the whole window's. */
    private void close(String key, WindowRule rule, WindowState s) {
        if (s.hitValue > 0 && s.value > s.hitValue) {
            hit(key, rule, s);
        }
        forgetValues(key, s);
    }

    private void forgetValues(String key, WindowState s) {
        if (s.sample == null) {
            return;
        }
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Boolean> it = values.prefixScan(WindowState.valuesPrefix(key, s.start),
                new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        // put(key, null) deletes without reading and decoding the old value, as delete() does to return it
        keys.forEach(k -> values.put(k, null));
    }

    private static List<Integer> portsOf(List<String> sample) {
        List<Integer> out = new ArrayList<>();
        for (String v : sample) {
            int p = portOf(v);
            if (p >= 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** The port of a {@code tcp/80} value, else -1. */
    private static int portOf(String v) {
        int slash = v.indexOf('/');
        if (slash < 0 || !(v.startsWith("tcp/") || v.startsWith("udp/"))) {
            return -1;
        }
        try {
            return Integer.parseInt(v.substring(slash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void spike(ProbeClock clock, String key, Observation o) {
        TrafficSpikeRule rule = settings.spike();
        TrafficSpikeRule.Baseline b = baselines.get(key);
        if (b == null) {
            b = new TrafficSpikeRule.Baseline();
            b.probeId = o.probeId();
            if (o.entity().startsWith("host:")) {
                // a host's seconds under the volume floor are not sent: one seen first now was that quiet since the
                // probe's first observation here, and its baseline has been zero since then
                b.second = clock.firstSecond;
            }
        }
        TrafficSpikeRule.Verdict v = rule.add(b, Math.floorDiv(o.ts(), 1_000_000), o.amount());
        baselines.put(key, b);
        if (v == null || !v.fires()) {
            return;
        }
        String entity = o.entity();
        boolean host = entity.startsWith("host:");
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("entity", entity);
        ev.put("bytes_per_s", v.bytes());
        ev.put("baseline_mean", Math.round(v.mean()));
        ev.put("baseline_stddev", Math.round(v.stddev()));
        ev.put("z_score", Math.round(v.z() * 10) / 10.0);
        ev.put("threshold_z", rule.zThreshold());
        long ts = v.second() * 1_000_000;
        Alert h = Alert.hit(TrafficSpikeRule.NAME, TrafficSpikeRule.SEVERITY, null, ts, b.probeId,
                host ? o.srcIp() : null, null, null, (host ? "host " + o.srcIp() : "probe " + b.probeId) + " moved "
                        + v.bytes() + " bytes in one second, " + ev.get("z_score") + " deviations above its baseline of "
                        + ev.get("baseline_mean") + " B/s (traffic spike)", ev);
        context.forward(new Record<>(key, h, ts / 1000));
    }

    private long staleAt(BeaconState b) {
        return b.last() + 2 * settings.beacon().maxInterval().toNanos() / 1000;
    }

    private void beacon(ProbeClock clock, String key, Observation o) {
        BeaconRule rule = settings.beacon();
        BeaconState b = beacons.get(key);
        if (b == null) {
            b = new BeaconState();
            b.probeId = o.probeId();
            b.srcIp = o.srcIp();
            b.dstIp = o.dstIp();
            b.port = o.port();
        }
        if (!b.add(o.ts(), rule.connections())) {
            return;
        }
        beacons.put(key, b);
        clock.beaconEnds.put(key, staleAt(b));
        if (b.starts.length < rule.connections()) {
            return;
        }
        BeaconRule.Verdict v = rule.judge(b.starts);
        if (!v.fires()) {
            return;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("connections", b.starts.length);
        ev.put("mean_interval_s", Math.round(v.meanIntervalS() * 10) / 10.0);
        ev.put("variation", Math.round(v.variation() * 1000) / 1000.0);
        ev.put("max_variation", rule.maxVariation());
        Alert h = Alert.hit(BeaconRule.NAME, BeaconRule.SEVERITY, BeaconRule.MITRE, b.last(), b.probeId, b.srcIp,
                b.dstIp, b.port == null ? null : List.of(b.port), b.srcIp + " connected to " + b.dstIp + " port "
                        + b.port + " " + b.starts.length + " times at a regular interval of "
                        + ev.get("mean_interval_s") + " s (beaconing)", ev);
        context.forward(new Record<>(key, h, b.last() / 1000));
    }

    /**
     * A partition quiet for a while: its windows age with the wall clock, as they would under live traffic, so a
     * replay's last windows close and report their final counts without waiting for later traffic.
     */
    private void onWallClock(long wallMs) {
        for (Map.Entry<String, ProbeClock> e : clocks.entrySet()) {
            ProbeClock c = e.getValue();
            if (c.lastObservationWallMs == Long.MIN_VALUE) {
                // windows restored at start: their quiet time counts from now, not from whenever the clock read 0
                c.lastObservationWallMs = wallMs;
                continue;
            }
            // quiet the service could not have seen (no broker, a blocked thread, a rebalance) is not quiet on the wire
            long quietMs = wallMs - Math.max(c.lastObservationWallMs, input.quietCountsFrom(wallMs));
            if (c.streamTime != Long.MIN_VALUE && quietMs >= settings.quietFlush().toMillis()) {
                int closed = expire(c, c.streamTime + quietMs * 1000);
                if (closed > 0) {
                    LOG.infof("probe %s quiet for %d s: %d windows closed with the clock", e.getKey(),
                            quietMs / 1000, closed);
                }
            }
        }
    }

    /**
     * Once every packet partition has reported the end of a probe's run, no more of its packets will come: the
     * windows its packets fill close now with their final counts, in order behind the last of them. Windows filled
     * from flows wait, on the probe's clock: the flow-service ends the run's flows after this.
     */
    private void endOfRun(Observation o) {
        String run = o.probeId() + "|" + o.value();
        Set<Integer> ended = runEnds.computeIfAbsent(run, x -> new HashSet<>());
        ended.add(Integer.parseInt(o.entity()));
        if (ended.size() < o.amount()) {
            return;
        }
        runEnds.remove(run);
        ProbeClock c = clocks.get(String.valueOf(o.probeId()));
        if (c == null) {
            return;
        }
        for (String key : c.ends.pollAll()) {
            WindowState s = windows.get(key);
            WindowRule rule = settings.windowRules().get(ruleOf(key));
            if (s == null || rule == null) {
                continue;
            }
            if (FlowInspector.feeds(rule.name())) {
                c.ends.put(key, endOf(s, rule));
            } else {
                close(key, rule, s);
                windows.put(key, null);
            }
        }
        if (c.ends.isEmpty() && c.beaconEnds.isEmpty()) {
            clocks.remove(String.valueOf(o.probeId())); // nothing waits: the next run counts on a clock of its own
        }
    }

    private ProbeClock clockOf(String probeId) {
        return clocks.computeIfAbsent(String.valueOf(probeId), x -> new ProbeClock());
    }

    /** Closes the windows that ended by {@code nowUs}; returns how many. */
    private int expire(ProbeClock clock, long nowUs) {
        for (String key : clock.beaconEnds.pollDue(nowUs)) {
            beacons.put(key, null);
        }
        int closed = 0;
        for (String key : clock.ends.pollDue(nowUs)) {
            WindowState s = windows.get(key);
            if (s != null) {
                close(key, settings.windowRules().get(ruleOf(key)), s);
                windows.put(key, null);
                closed++;
            }
        }
        return closed;
    }

    /** When a window is closed: its end, plus the grace late observations get. */
    private long endOf(WindowState s, WindowRule rule) {
        return s.start + rule.windowUs() + settings.windowGrace().toNanos() / 1000;
    }

    private static String ruleOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }
}
