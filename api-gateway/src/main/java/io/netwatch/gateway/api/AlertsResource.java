package io.netwatch.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netwatch.gateway.auth.AccessFilter;
import io.netwatch.gateway.auth.Caller;
import io.netwatch.gateway.store.StoredAlert;
import io.netwatch.records.Alert;
import io.netwatch.records.JsonSerde;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.RestMulti;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/** Alerts from PostgreSQL with their enrichment and acknowledgement; acknowledging needs an operator token. */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    /** What an operator writes when acknowledging. */
    public record Acknowledgement(String note) {
    }

    @GET
    @WithSession
    @Operation(summary = "Alerts, latest activity first, by severity (at least), rule, address, probe, time, "
            + "acknowledgement")
    public Uni<PageOf<JsonNode>> list(@QueryParam("severity") String severity, @QueryParam("rule") String rule,
                                      @QueryParam("ip") String ip, @QueryParam("probe") String probe,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("unacknowledged") boolean unacknowledged,
                                      @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int p = Params.range("page", page, 0, 0, 1_000_000);
        int s = Params.range("size", size, 50, 1, 1000);
        PanacheQuery<StoredAlert> q = find(filters(severity, rule, ip, probe, from, to, unacknowledged));
        return q.page(Page.of(p, s)).list().chain(rows -> q.count()
                .map(total -> new PageOf<>(rows.stream().map(AlertsResource::json).toList(), p, s, total)));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One alert with its evidence, enrichment and acknowledgement")
    public Uni<JsonNode> one(@PathParam("id") String id) {
        return find(id).map(AlertsResource::json);
    }

    @POST
    @Path("/{id}/ack")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Acknowledge an alert (operator): who and when are recorded with the note")
    public Uni<JsonNode> acknowledge(@PathParam("id") String id, Acknowledgement body,
                                     @Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(AccessFilter.CALLER);
        String note = body == null ? null : body.note();
        if (note != null && note.length() > 2000) {
            throw ApiException.badRequest("note is limited to 2000 characters");
        }
        return find(id).map(a -> {
            a.acknowledged = true;
            a.ackBy = caller.name();
            a.ackAt = Instant.now();
            a.ackNote = note;
            return json(a);
        });
    }

    @DELETE
    @Path("/{id}/ack")
    @WithTransaction
    @Operation(summary = "Take an acknowledgement back (operator)")
    public Uni<JsonNode> unacknowledge(@PathParam("id") String id) {
        return find(id).map(a -> {
            a.acknowledged = false;
            a.ackBy = null;
            a.ackAt = null;
            a.ackNote = null;
            return json(a);
        });
    }

    @GET
    @Path("/export")
    @Produces("text/csv") // JSON lines set their own type in Exports.download
    @Operation(summary = "Export alerts as CSV (format=csv) or JSON lines (format=json)")
    public RestMulti<String> export(@QueryParam("format") String format, @QueryParam("severity") String severity,
                                @QueryParam("rule") String rule, @QueryParam("ip") String ip,
                                @QueryParam("probe") String probe, @QueryParam("from") String from,
                                @QueryParam("to") String to, @QueryParam("unacknowledged") boolean unacknowledged,
                                @QueryParam("limit") Integer limit) {
        boolean csv = Exports.csv(format);
        int max = Params.range("limit", limit, 10_000, 1, FlowsResource.MAX_EXPORT);
        StoredQuery filters = filters(severity, rule, ip, probe, from, to, unacknowledged);
        Multi<String> rows = Panache.withSession(() -> find(filters).range(0, max - 1).list()).toMulti()
                .onItem().transformToIterable(list -> list)
                .map(a -> csv ? Exports.csvLine(a.alertId, a.rule, a.severity, a.firstSeen, a.lastSeen, a.hits,
                        a.probeId, a.srcIp, a.dstIp, a.acknowledged, a.ackBy, a.description)
                        : json(a).toString() + "\n");
        return Exports.download(csv, "netwatch-alerts", Exports.csvLine("alert_id",
                "rule", "severity", "first_seen", "last_seen", "hits", "probe_id", "src_ip", "dst_ip",
                "acknowledged", "ack_by", "description"), rows);
    }

    private static Uni<StoredAlert> find(String id) {
        return StoredAlert.<StoredAlert>findById(id).map(a -> {
            if (a == null) {
                throw ApiException.notFound("no alert with id " + id);
            }
            return a;
        });
    }

    /** The filters as a query, checked first so a bad parameter is a 400 before anything is read. */
    static StoredQuery filters(String severity, String rule, String ip, String probe, String from, String to,
                               boolean unacknowledged) {
        Instant f = Params.time("from", from);
        Instant t = Params.time("to", to);
        Params.order(f, t);
        Short rank = null;
        if (severity != null && !severity.isBlank()) {
            int r = Alert.rank(severity.toLowerCase(Locale.ROOT));
            if (r < 0) {
                throw ApiException.badRequest("severity must be one of " + Alert.SEVERITIES + ", not '" + severity
                        + "'");
            }
            rank = (short) r;
        }
        StoredQuery q = new StoredQuery()
                .where("severityRank >= :rank", "rank", rank)
                .where("rule = :rule", "rule", rule == null || rule.isBlank() ? null : rule)
                .where("(srcIp = :ip or dstIp = :ip)", "ip", Params.ip("ip", ip))
                .where("probeId = :probe", "probe", probe)
                .where("lastSeen >= :from", "from", f)
                .where("firstSeen <= :to", "to", t);
        if (unacknowledged) {
            q.where("acknowledged = false");
        }
        return q;
    }

    static PanacheQuery<StoredAlert> find(StoredQuery q) {
        Sort sort = Sort.by("lastSeen").descending().and("alertId");
        return q.isEmpty() ? StoredAlert.findAll(sort) : StoredAlert.find(q.query(), sort, q.params());
    }

    /** The wire record of the alert, with the gateway's acknowledgement and the enrichment beside it. */
    static JsonNode json(StoredAlert a) {
        try {
            ObjectNode n = (ObjectNode) JsonSerde.MAPPER.readTree(a.record);
            n.put("acknowledged", a.acknowledged);
            if (a.acknowledged) {
                ObjectNode ack = n.putObject("ack");
                ack.put("by", a.ackBy);
                ack.put("at", a.ackAt == null ? null : a.ackAt.toString());
                ack.put("note", a.ackNote);
            }
            if (a.srcIntel != null) {
                n.set("src_intel", JsonSerde.MAPPER.readTree(a.srcIntel));
            }
            if (a.dstIntel != null) {
                n.set("dst_intel", JsonSerde.MAPPER.readTree(a.dstIntel));
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
