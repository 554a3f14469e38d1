package io.netwatch.gateway.api;

import io.netwatch.gateway.GatewayService;
import io.netwatch.gateway.feed.FeedState;
import io.netwatch.gateway.live.LiveView;
import io.netwatch.gateway.ws.LiveChannel;
import io.netwatch.records.Alert;
import io.netwatch.records.TrafficMetrics;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gateway's own state and the figures of the dashboard's header. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    @Inject
    GatewayService gateway;

    @Inject
    LiveView live;

    @Inject
    Pool pool;

    /** Feeds (Kafka to PostgreSQL, InfluxDB and the live views) and WebSocket clients. */
    public record Status(List<FeedState> feeds, Map<String, Map<String, Long>> websockets, int probes,
                         int intelAddresses) {
    }

    /** The live view in one answer: rates of the latest second of all probes, flows, alerts, probes. */
    public record Summary(long packetsPerSecond, long bitsPerSecond, long activeFlows, long newFlowsPerSecond,
                          Map<String, Long> unacknowledgedAlerts, long alertsLastHour, int probes,
                          int probesCapturing) {
    }

    @GET
    @Path("/status")
    @Operation(summary = "The gateway's feeds and WebSocket clients")
    public Status status() {
        Map<String, Map<String, Long>> sockets = new LinkedHashMap<>();
        for (LiveChannel c : live.channels()) {
            sockets.put(c.name(), Map.of("clients", (long) c.clients(), "sent", c.sent(), "dropped", c.dropped()));
        }
        return new Status(gateway.feedStates(), sockets, live.probes().size(), live.intel().size());
    }

    @GET
    @Path("/summary")
    @Blocking
    @Operation(summary = "Packets/s, bandwidth, active flows, open alerts by severity, probes")
    public Summary summary() {
        long packets = 0;
        long bytes = 0;
        long newFlows = 0;
        for (TrafficMetrics m : live.traffic().latestSeconds()) {
            packets += m.packets();
            bytes += m.bytes();
            newFlows += m.newFlows();
        }
        Map<String, Long> open = new LinkedHashMap<>();
        Alert.SEVERITIES.forEach(s -> open.put(s, 0L));
        long lastHour = 0;
        for (Row r : pool.query("""
                        SELECT severity, count(*) FILTER (WHERE NOT acknowledged) AS open,
                               count(*) FILTER (WHERE last_seen > now() - interval '1 hour') AS recent
                        FROM alerts GROUP BY severity""")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            open.put(r.getString("severity"), r.getLong("open"));
            lastHour += r.getLong("recent");
        }
        int capturing = (int) live.probes().values().stream()
                .filter(p -> "capturing".equals(p.state()) || "replaying".equals(p.state())).count();
        return new Summary(packets, bytes * 8, live.activeFlows().size(), newFlows, open, lastHour,
                live.probes().size(), capturing);
    }
}
