package io.netwatch.gateway.influx;

import com.influxdb.client.write.Point;
import io.netwatch.deploy.MeasurementTable;
import io.netwatch.flow.CaptureFlows;
import io.netwatch.flow.FlowSettings;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpIntel;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.TrafficMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The points the InfluxDB sink makes of real flows and of metrics, alerts and probe statuses carry exactly the
 * measurements, tags and fields docs/influxdb.md documents, which the Grafana dashboards are checked against.
 */
class TrafficPointsTest {
    private static final String TALKER = "8.8.8.8";

    /** A point as line protocol reads: its measurement, tags and fields. */
    record Line(String measurement, Map<String, String> tags, Map<String, String> fields, long time) {
        static Line parse(String lp) {
            List<String> parts = split(lp, ' ');
            List<String> head = split(parts.get(0), ',');
            Map<String, String> tags = new LinkedHashMap<>();
            for (String t : head.subList(1, head.size())) {
                tags.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String f : split(parts.get(1), ',')) {
                fields.put(f.substring(0, f.indexOf('=')), f.substring(f.indexOf('=') + 1));
            }
            return new Line(head.get(0), tags, fields, Long.parseLong(parts.get(2)));
        }

        /** Splits at {@code sep} outside quotes and escapes. */
        private static List<String> split(String s, char sep) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    cur.append(c).append(s.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == sep && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }
    }

    @Test
    void thePointsAreWhatDocsInfluxdbMdSays() throws Exception {
        TrafficPoints points = new TrafficPoints(ip -> ip.equals(TALKER) ? Optional.of(new IpIntel(ip, "public", "US",
                "United States", "NA", null, 37.751, -97.822, 15169L, "Google LLC", null, null, null, false, 0, 0, 0))
                : Optional.empty());
        List<Point> out = new ArrayList<>();
        List<FlowRecord> flows = CaptureFlows.of(SharedPcaps.file("basic/web-tls-dns-1998pkts.pcap"),
                FlowSettings.defaults());
        flows.forEach(f -> points.flow(f, out));
        long t = flows.get(0).ts();
        Map<String, TrafficMetrics.Counter> protocols = Map.of("tcp", new TrafficMetrics.Counter(10, 6000));
        Map<String, TrafficMetrics.Counter> apps = Map.of("tls", new TrafficMetrics.Counter(8, 5000));
        List<TrafficMetrics.Talker> talkers = List.of(new TrafficMetrics.Talker(TALKER, 5000, 8),
                new TrafficMetrics.Talker("10.0.0.2", 1000, 2));
        points.metrics(new TrafficMetrics("probe-a", TrafficMetrics.SECOND, t, t + 1_000_000, 10, 6000, protocols,
                apps, 2, 3, talkers, talkers), out);
        points.metrics(new TrafficMetrics("probe-a", TrafficMetrics.MINUTE, t, t + 60_000_000, 10, 6000, protocols,
                apps, 2, 3, talkers, talkers), out);
        points.alert(new Alert("a1", "port_scan", "high", t, t + 5_000_000, 40, "probe-a", "10.0.0.2", "10.0.0.9",
                List.of(22, 80), "a scan", Map.of(), "T1046"), out);
        points.probe(new ProbeStatus("probe-a", ProbeStatus.CAPTURING, "live", "eth0", null, 65535, true, null,
                "run-1", t / 1000, t / 1000, 10, 6000, 0, 10, 0, 0, 10L, 0L, 0L, null, null, null, null, null, null), out);

        Map<String, MeasurementTable.Measurement> table = MeasurementTable.ofRepository();
        Map<String, Set<String>> tagsSeen = new HashMap<>();
        Map<String, Set<String>> fieldsSeen = new HashMap<>();
        for (Point p : out) {
            Line line = Line.parse(p.toLineProtocol());
            MeasurementTable.Measurement m = table.get(line.measurement());
            assertTrue(m != null, line.measurement() + " is documented");
            assertTrue(m.tags().containsAll(line.tags().keySet()), line + " has only documented tags " + m.tags());
            assertTrue(m.fields().containsAll(line.fields().keySet()), line + " has only documented fields "
                    + m.fields());
            tagsSeen.computeIfAbsent(m.name(), x -> new HashSet<>()).addAll(line.tags().keySet());
            fieldsSeen.computeIfAbsent(m.name(), x -> new HashSet<>()).addAll(line.fields().keySet());
        }
        for (MeasurementTable.Measurement m : table.values()) {
            assertEquals(m.tags(), tagsSeen.get(m.name()), m.name() + ": every documented tag is written");
            assertEquals(m.fields(), fieldsSeen.get(m.name()), m.name() + ": every documented field is written");
        }
        Line talker = out.stream().map(p -> Line.parse(p.toLineProtocol()))
                .filter(l -> l.measurement().equals("top_talkers") && TALKER.equals(l.tags().get("ip"))).findFirst()
                .orElseThrow();
        assertEquals("US", talker.tags().get("country_iso"));
        assertEquals("1i", talker.fields().get("rank"), "the biggest talker ranks first");
        assertEquals(t, talker.time(), "event time, in microseconds (the precision the sink writes with)");
    }
}
