package io.netwatch.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netwatch.gateway.live.LiveView;
import io.netwatch.gateway.store.StoredFlow;
import io.netwatch.gateway.ws.ClientFilter;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.JsonSerde;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.RestMulti;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Flow history from PostgreSQL with filters and paging, active flows from memory, and exports. */
@Path("/api/flows")
@Produces(MediaType.APPLICATION_JSON)
public class FlowsResource {
    static final int MAX_EXPORT = 100_000;

    @Inject
    LiveView live;

    @GET
    @WithSession
    @Operation(summary = "Flows, newest first, filtered by address, port, protocol, application, probe and time")
    public Uni<PageOf<JsonNode>> list(@QueryParam("ip") String ip, @QueryParam("port") Integer port,
                                      @QueryParam("protocol") String protocol, @QueryParam("app") String app,
                                      @QueryParam("probe") String probe, @QueryParam("from") String from,
                                      @QueryParam("to") String to, @QueryParam("page") Integer page,
                                      @QueryParam("size") Integer size) {
        int p = Params.range("page", page, 0, 0, 1_000_000);
        int s = Params.range("size", size, 50, 1, 1000);
        PanacheQuery<StoredFlow> q = find(filters(ip, port, protocol, app, probe, from, to));
        return q.page(Page.of(p, s)).list().chain(rows -> q.count()
                .map(total -> new PageOf<>(rows.stream().map(FlowsResource::json).toList(), p, s, total)));
    }

    @GET
    @Path("/active")
    @Operation(summary = "Flows still open, biggest first (from the live view)")
    public List<FlowRecord> active(@QueryParam("ip") String ip, @QueryParam("port") Integer port,
                                   @QueryParam("protocol") String protocol, @QueryParam("limit") Integer limit) {
        ClientFilter filter = new ClientFilter(Params.ip("ip", ip), Params.port("port", port),
                protocol == null ? null : protocol.toLowerCase(Locale.ROOT), null, null, null);
        return live.activeFlows().top(Params.range("limit", limit, 100, 1, 5000), filter::matches);
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One flow by flow_id")
    public Uni<JsonNode> one(@PathParam("id") String id) {
        return StoredFlow.<StoredFlow>findById(id).map(f -> {
            if (f == null) {
                throw ApiException.notFound("no flow with id " + id);
            }
            return json(f);
        });
    }

    /** Flows as CSV or JSON lines, streamed, at most {@code limit} (up to 100,000). */
    @GET
    @Path("/export")
    @Produces("text/csv") // JSON lines set their own type in Exports.download
    @Operation(summary = "Export flows as CSV (format=csv) or JSON lines (format=json)")
    public RestMulti<String> export(@QueryParam("format") String format, @QueryParam("ip") String ip,
                                @QueryParam("port") Integer port, @QueryParam("protocol") String protocol,
                                @QueryParam("app") String app, @QueryParam("probe") String probe,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("limit") Integer limit) {
        boolean csv = Exports.csv(format);
        int max = Params.range("limit", limit, 10_000, 1, MAX_EXPORT);
        StoredQuery filters = filters(ip, port, protocol, app, probe, from, to);
        Multi<String> rows = Panache.withSession(() -> find(filters).range(0, max - 1).list()).toMulti()
                .onItem().transformToIterable(list -> list)
                .map(f -> csv ? Exports.csvLine(f.flowId, f.probeId, f.firstSeen, f.lastSeen, f.transport,
                        f.srcIp, f.srcPort, f.dstIp, f.dstPort, f.appProtocol, f.connState, f.packets, f.bytes,
                        f.communityId) : f.record + "\n");
        return Exports.download(csv, "netwatch-flows", Exports.csvLine("flow_id",
                "probe_id", "first_seen", "last_seen", "transport", "src_ip", "src_port", "dst_ip", "dst_port",
                "app_protocol", "conn_state", "packets", "bytes", "community_id"), rows);
    }

    /** The filters as a query, checked first so a bad parameter is a 400 before anything is read. */
    static StoredQuery filters(String ip, Integer port, String protocol, String app, String probe, String from,
                               String to) {
        Instant f = Params.time("from", from);
        Instant t = Params.time("to", to);
        Params.order(f, t);
        StoredQuery q = new StoredQuery()
                .where("(srcIp = :ip or dstIp = :ip)", "ip", Params.ip("ip", ip))
                .where("(srcPort = :port or dstPort = :port)", "port", Params.port("port", port))
                .where("transport = :protocol", "protocol", lower(protocol))
                .where("appProtocol = :app", "app", lower(app))
                .where("probeId = :probe", "probe", probe)
                .where("lastSeen >= :from", "from", f)
                .where("firstSeen <= :to", "to", t);
        return q;
    }

    static PanacheQuery<StoredFlow> find(StoredQuery q) {
        Sort sort = Sort.by("firstSeen").descending().and("flowId");
        return q.isEmpty() ? StoredFlow.findAll(sort) : StoredFlow.find(q.query(), sort, q.params());
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    static JsonNode json(StoredFlow f) {
        try {
            return JsonSerde.MAPPER.readTree(f.record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
