package io.netwatch.gateway.api;

import io.netwatch.gateway.live.LiveView;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.IpIntel;
import io.netwatch.records.TrafficMetrics;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Traffic figures from the latest metrics windows of all probes: top talkers, protocol mix, history, graph. */
@Path("/api/traffic")
@Produces(MediaType.APPLICATION_JSON)
public class TrafficResource {
    @Inject
    LiveView live;

    /** One address and its traffic, with where it is when that is known. */
    public record Talker(String ip, long bytes, long packets, IpIntel intel) {
    }

    /** One second of all probes together. */
    public record Second(long ts, long packets, long bytes, long newFlows) {
    }

    /** Who talks to whom: addresses, and the pairs with their bytes. */
    public record Graph(List<Map<String, Object>> nodes, List<Map<String, Object>> links) {
    }

    @GET
    @Path("/top-talkers")
    @Operation(summary = "Top sources (direction=src) or destinations (dst) of the latest minute, with geo")
    public List<Talker> topTalkers(@QueryParam("direction") String direction, @QueryParam("limit") Integer limit) {
        boolean dst = "dst".equals(direction);
        if (direction != null && !dst && !"src".equals(direction)) {
            throw ApiException.badRequest("direction must be src or dst, not '" + direction + "'");
        }
        Map<String, long[]> sums = new HashMap<>();
        for (TrafficMetrics m : live.traffic().latestWindows()) {
            List<TrafficMetrics.Talker> talkers = dst ? m.topDestinations() : m.topSources();
            if (talkers != null) {
                talkers.forEach(t -> {
                    long[] s = sums.computeIfAbsent(t.ip(), k -> new long[2]);
                    s[0] += t.bytes();
                    s[1] += t.packets();
                });
            }
        }
        return sums.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed())
                .limit(Params.range("limit", limit, 10, 1, 100))
                .map(e -> new Talker(e.getKey(), e.getValue()[0], e.getValue()[1],
                        live.intel().get(e.getKey()).orElse(null)))
                .toList();
    }

    @GET
    @Path("/protocols")
    @Operation(summary = "Protocol mix of the latest minute: transports (kind=transport) or applications (app)")
    public Map<String, TrafficMetrics.Counter> protocols(@QueryParam("kind") String kind) {
        boolean app = "app".equals(kind);
        if (kind != null && !app && !"transport".equals(kind)) {
            throw ApiException.badRequest("kind must be transport or app, not '" + kind + "'");
        }
        Map<String, long[]> sums = new TreeMap<>();
        for (TrafficMetrics m : live.traffic().latestWindows()) {
            Map<String, TrafficMetrics.Counter> counters = app ? m.appProtocols() : m.protocols();
            if (counters != null) {
                counters.forEach((name, c) -> {
                    long[] s = sums.computeIfAbsent(name, k -> new long[2]);
                    s[0] += c.packets();
                    s[1] += c.bytes();
                });
            }
        }
        Map<String, TrafficMetrics.Counter> out = new LinkedHashMap<>();
        sums.forEach((name, s) -> out.put(name, new TrafficMetrics.Counter(s[0], s[1])));
        return out;
    }

    @GET
    @Path("/history")
    @Operation(summary = "Packets and bytes per second of all probes over the last seconds (up to 600)")
    public List<Second> history(@QueryParam("seconds") Integer seconds) {
        int n = Params.range("seconds", seconds, 300, 1, 600);
        List<TrafficMetrics> windows = live.traffic().latestSeconds();
        long newest = windows.stream().mapToLong(TrafficMetrics::windowStart).max().orElse(0);
        Map<Long, long[]> byTs = new TreeMap<>();
        for (TrafficMetrics m : live.traffic().secondsSince(newest - (n - 1) * 1_000_000L)) {
            long[] s = byTs.computeIfAbsent(m.windowStart(), k -> new long[3]);
            s[0] += m.packets();
            s[1] += m.bytes();
            s[2] += m.newFlows();
        }
        List<Second> out = new ArrayList<>();
        byTs.forEach((ts, s) -> out.add(new Second(ts, s[0], s[1], s[2])));
        return out;
    }

    @GET
    @Path("/graph")
    @Operation(summary = "Who talks to whom among the biggest active flows")
    public Graph graph(@QueryParam("limit") Integer limit) {
        Map<String, Long> nodeBytes = new HashMap<>();
        Map<String, Map<String, Object>> links = new LinkedHashMap<>();
        for (FlowRecord f : live.activeFlows().top(Params.range("limit", limit, 200, 1, 2000), x -> true)) {
            if (f.srcIp() == null || f.dstIp() == null) {
                continue;
            }
            long bytes = f.origBytes() + f.respBytes();
            nodeBytes.merge(f.srcIp(), bytes, Long::sum);
            nodeBytes.merge(f.dstIp(), bytes, Long::sum);
            Map<String, Object> link = links.computeIfAbsent(f.srcIp() + ">" + f.dstIp(), k -> new HashMap<>(
                    Map.of("source", f.srcIp(), "target", f.dstIp(), "bytes", 0L, "flows", 0L)));
            link.put("bytes", (Long) link.get("bytes") + bytes);
            link.put("flows", (Long) link.get("flows") + 1);
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        nodeBytes.forEach((ip, bytes) -> {
            Map<String, Object> n = new HashMap<>(Map.of("id", ip, "bytes", bytes));
            live.intel().get(ip).ifPresent(i -> {
                if (i.countryIso() != null) {
                    n.put("country_iso", i.countryIso());
                }
                n.put("suspicious", i.suspicious());
            });
            nodes.add(n);
        });
        return new Graph(nodes, new ArrayList<>(links.values()));
    }
}
