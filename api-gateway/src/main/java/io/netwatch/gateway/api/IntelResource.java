package io.netwatch.gateway.api;

import io.netwatch.gateway.GatewayConfig;
import io.netwatch.gateway.live.LiveView;
import io.netwatch.records.IpIntel;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What is known of addresses: the intel topic first, the enrichment-service on demand, and alert history. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class IntelResource {
    @Inject
    LiveView live;

    @Inject
    GatewayConfig config;

    @Inject
    Pool pool;

    @Inject
    TrafficResource traffic;

    private EnrichmentApi enrichment;

    /** An address that alerts or reputation make worth a look. */
    public record SuspiciousIp(String ip, long alerts, long hits, String maxSeverity, String lastSeen,
                               Integer score, IpIntel intel) {
    }

    @PostConstruct
    void connect() {
        enrichment = config.enrichmentUrl().map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                .connectTimeout(3, TimeUnit.SECONDS).readTimeout(20, TimeUnit.SECONDS)
                .build(EnrichmentApi.class)).orElse(null);
    }

    @GET
    @Path("/geo/{ip}")
    @Blocking
    @Operation(summary = "Location, network and reputation of one address")
    public IpIntel geo(@PathParam("ip") String ip) {
        String address = Params.ip("ip", ip);
        return live.intel().get(address).orElseGet(() -> ask(address));
    }

    @POST
    @Path("/enrich/{ip}")
    @Blocking
    @Operation(summary = "Look one address up now (operator): GeoIP, lists, and the reputation providers (their answers are cached for the enrichment TTL)")
    public IpIntel enrich(@PathParam("ip") String ip) {
        IpIntel intel = ask(Params.ip("ip", ip));
        live.intel().put(intel);
        return intel;
    }

    @POST
    @Path("/enrich/recent")
    @Blocking
    @Operation(summary = "Look up the top talkers of the latest minute (operator), at most limit addresses")
    public List<IpIntel> enrichRecent(@QueryParam("limit") Integer limit) {
        int n = Params.range("limit", limit, 20, 1, 100);
        Set<String> addresses = new LinkedHashSet<>();
        traffic.topTalkers("src", n).forEach(t -> addresses.add(t.ip()));
        traffic.topTalkers("dst", n).forEach(t -> addresses.add(t.ip()));
        List<IpIntel> out = new ArrayList<>();
        for (String ip : addresses.stream().limit(n).toList()) {
            IpIntel intel = ask(ip);
            live.intel().put(intel);
            out.add(intel);
        }
        return out;
    }

    private IpIntel ask(String ip) {
        if (enrichment == null) {
            throw new ApiException(503, "no-enrichment", "nothing is known of " + ip + " yet and no "
                    + "enrichment-service is configured (netwatch.gateway.enrichment-url)");
        }
        try {
            return enrichment.lookup(ip);
        } catch (RuntimeException e) {
            throw new ApiException(502, "enrichment-failed", "the enrichment-service did not answer for " + ip
                    + ": " + e.getMessage());
        }
    }

    @GET
    @Path("/suspicious")
    @Blocking
    @Operation(summary = "Addresses with alerts in the last hours of alert activity (event time), or a bad reputation, worst first")
    public List<SuspiciousIp> suspicious(@QueryParam("hours") Integer hours, @QueryParam("limit") Integer limit) {
        int h = Params.range("hours", hours, 24, 1, 24 * 30);
        int n = Params.range("limit", limit, 50, 1, 500);
        Map<String, SuspiciousIp> out = new LinkedHashMap<>();
        for (Row r : pool.preparedQuery("""
                        SELECT src_ip, count(*) AS alerts, sum(hits) AS hits, max(severity_rank) AS worst,
                               max(last_seen) AS last_seen
                        FROM alerts WHERE src_ip IS NOT NULL
                          AND last_seen > (SELECT max(last_seen) FROM alerts) - make_interval(hours => $1)
                        GROUP BY src_ip ORDER BY worst DESC, alerts DESC LIMIT $2""")
                .execute(Tuple.of(h, n)).await().atMost(Duration.ofSeconds(30))) {
            String ip = r.getString("src_ip");
            IpIntel intel = live.intel().get(ip).orElse(null);
            out.put(ip, new SuspiciousIp(ip, r.getLong("alerts"), r.getLong("hits"),
                    io.netwatch.records.Alert.SEVERITIES.get(r.getInteger("worst")),
                    r.getOffsetDateTime("last_seen").toInstant().toString(),
                    intel == null ? null : intel.score(), intel));
        }
        for (IpIntel i : live.intel().matching(IpIntel::suspicious)) {
            if (out.size() >= n) {
                break;
            }
            out.putIfAbsent(i.ip(), new SuspiciousIp(i.ip(), 0, 0, null, null, i.score(), i));
        }
        return new ArrayList<>(out.values());
    }
}
