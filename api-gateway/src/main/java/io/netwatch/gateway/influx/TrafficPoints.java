package io.netwatch.gateway.influx;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpIntel;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.TrafficMetrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The wire records as InfluxDB points: measurement, tag and field names are the contract of docs/influxdb.md and of
 * the Grafana dashboards. Tags are what dashboards group by and stay low in cardinality (addresses are tags only in
 * top_talkers, which holds a few per minute); timestamps are event times, so a record written twice overwrites
 * its own point instead of adding one.
 */
public final class TrafficPoints {
    public static final String TRAFFIC = "traffic";
    public static final String PROTOCOLS = "protocols";
    public static final String APP_PROTOCOLS = "app_protocols";
    public static final String TOP_TALKERS = "top_talkers";
    public static final String FLOWS = "flows";
    public static final String ALERTS = "alerts";
    public static final String PROBE_STATUS = "probe_status";

    private final Function<String, Optional<IpIntel>> intel;

    /** @param intel what is known of an address (geo for top talkers), from the ip-intel topic */
    public TrafficPoints(Function<String, Optional<IpIntel>> intel) {
        this.intel = intel;
    }

    public void metrics(TrafficMetrics m, List<Point> out) {
        double seconds = Math.max(1, m.windowEnd() - m.windowStart()) / 1e6;
        out.add(at(Point.measurement(TRAFFIC), m.windowStart())
                .addTag("probe_id", m.probeId()).addTag("resolution", m.resolution())
                .addField("packets", m.packets()).addField("bytes", m.bytes())
                .addField("packets_per_second", m.packets() / seconds)
                .addField("bits_per_second", m.bytes() * 8 / seconds)
                .addField("new_flows", m.newFlows()).addField("active_flows", m.activeFlows()));
        counters(PROTOCOLS, "protocol", m, m.protocols(), out);
        counters(APP_PROTOCOLS, "app_protocol", m, m.appProtocols(), out);
        if (TrafficMetrics.MINUTE.equals(m.resolution())) {
            talkers("src", m, m.topSources(), out);
            talkers("dst", m, m.topDestinations(), out);
        }
    }

    private static void counters(String measurement, String tag, TrafficMetrics m,
                                 Map<String, TrafficMetrics.Counter> counters, List<Point> out) {
        if (counters == null) {
            return;
        }
        counters.forEach((name, c) -> out.add(at(Point.measurement(measurement), m.windowStart())
                .addTag("probe_id", m.probeId()).addTag("resolution", m.resolution()).addTag(tag, name)
                .addField("packets", c.packets()).addField("bytes", c.bytes())));
    }

    private void talkers(String direction, TrafficMetrics m, List<TrafficMetrics.Talker> talkers, List<Point> out) {
        if (talkers == null) {
            return;
        }
        int rank = 0;
        for (TrafficMetrics.Talker t : talkers) {
            Point p = at(Point.measurement(TOP_TALKERS), m.windowStart())
                    .addTag("probe_id", m.probeId()).addTag("direction", direction).addTag("ip", t.ip())
                    .addField("bytes", t.bytes()).addField("packets", t.packets()).addField("rank", ++rank);
            intel.apply(t.ip()).ifPresent(i -> {
                tag(p, "country_iso", i.countryIso());
                if (i.latitude() != null && i.longitude() != null) {
                    p.addField("latitude", i.latitude()).addField("longitude", i.longitude());
                }
            });
            out.add(p);
        }
    }

    /** Flows when they end: a flow's updates would only repeat its totals. */
    public void flow(FlowRecord f, List<Point> out) {
        if (!FlowRecord.FINAL.equals(f.recordType())) {
            return;
        }
        Point p = at(Point.measurement(FLOWS), f.ts())
                .addTag("probe_id", f.probeId()).addTag("transport", f.transport())
                .addField("flow_id", f.flowId()).addField("src_ip", f.srcIp()).addField("dst_ip", f.dstIp())
                .addField("orig_bytes", f.origBytes()).addField("resp_bytes", f.respBytes())
                .addField("orig_pkts", f.origPkts()).addField("resp_pkts", f.respPkts())
                .addField("duration_s", f.durationUs() / 1e6);
        tag(p, "app_protocol", f.appProtocol());
        tag(p, "conn_state", f.connState());
        if (f.dstPort() != null) {
            p.addField("dst_port", f.dstPort().longValue());
        }
        out.add(p);
    }

    public void alert(Alert a, List<Point> out) {
        Point p = at(Point.measurement(ALERTS), a.ts())
                .addTag("rule", a.rule()).addTag("severity", a.severity())
                .addField("alert_id", a.alertId()).addField("hits", a.count())
                .addField("severity_rank", (long) Alert.rank(a.severity()));
        tag(p, "probe_id", a.probeId());
        if (a.srcIp() != null) {
            p.addField("src_ip", a.srcIp());
        }
        if (a.dstIp() != null) {
            p.addField("dst_ip", a.dstIp());
        }
        out.add(p);
    }

    public void probe(ProbeStatus s, List<Point> out) {
        Point p = Point.measurement(PROBE_STATUS).time(s.updatedAt() * 1000, WritePrecision.US)
                .addTag("probe_id", s.probeId())
                .addField("state", s.state()).addField("packets", s.packets()).addField("bytes", s.bytes())
                .addField("decode_errors", s.decodeErrors()).addField("publish_errors", s.publishErrors())
                .addField("queue_drops", s.queueDrops())
                .addField("kernel_drops", s.kernelDrops() == null ? 0L : s.kernelDrops())
                .addField("capturing", s.running() ? 1L : 0L);
        out.add(p);
    }

    private static Point at(Point p, long micros) {
        return p.time(micros, WritePrecision.US);
    }

    private static void tag(Point p, String tag, String value) {
        if (value != null && !value.isEmpty()) {
            p.addTag(tag, value);
        }
    }
}
