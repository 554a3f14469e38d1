package io.netwatch.gateway.api;

import io.netwatch.gateway.live.LiveView;
import io.netwatch.gateway.store.StoredAlert;
import io.netwatch.gateway.store.StoredFlow;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.PcapQuery;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestMulti;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Packets as a PCAPNG file Wireshark opens, for a flow, an alert or a time range. The raw frames stay on the probe
 * that captured them (within its frame budget); the gateway finds that probe by the {@code api_url} of its status
 * and streams its answer through, so a large export never sits in the gateway's memory.
 */
@Path("/api/export/pcap")
public class PcapExportResource {
    static final String PCAPNG = "application/x-pcapng";
    private static final Duration PROBE_ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    LiveView live;

    /** What to ask which probe for, and the name of the file the answer becomes. */
    record ProbeQuery(String probeId, PcapQuery query, String fileName) {
    }

    /** The probe's answer (or the gateway's own problem) as it is relayed. */
    record Relayed(int status, String contentType, String fileName, Multi<byte[]> body) {
        static Relayed problem(int status, String kind, String detail) {
            byte[] json = JsonSerde.MAPPER.valueToTree(Problem.of(status, kind, detail)).toString()
                    .getBytes(StandardCharsets.UTF_8);
            return new Relayed(status, Problem.MEDIA_TYPE, null, Multi.createFrom().item(json));
        }

        Map<String, List<String>> headers() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            h.put("Content-Type", List.of(contentType));
            if (fileName != null) {
                h.put("Content-Disposition", List.of("attachment; filename=\"" + fileName + "\""));
            }
            return h;
        }
    }

    @GET
    @Produces(PCAPNG) // a problem answer sets its own type through the relayed headers
    @Operation(summary = "PCAPNG of one flow (flow_id), the packets behind an alert (alert_id), or a probe's time range "
            + "(probe, from, to, optionally ip, port, peer, peer_port, proto, run_id), streamed from the probe that "
            + "holds the raw frames; 404 when the probe no longer holds them")
    public RestMulti<byte[]> export(@QueryParam("flow_id") String flowId, @QueryParam("alert_id") String alertId,
                                    @QueryParam("probe") String probe, @QueryParam("run_id") String runId,
                                    @QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("ip") String ip, @QueryParam("port") Integer port,
                                    @QueryParam("peer") String peer, @QueryParam("peer_port") Integer peerPort,
                                    @QueryParam("proto") Integer proto, @QueryParam("max_packets") Integer maxPackets) {
        long named = Stream.of(flowId, alertId, probe).filter(s -> s != null && !s.isBlank()).count();
        if (named != 1) {
            throw ApiException.badRequest("name exactly one of flow_id, alert_id or probe (a probe with from and to, "
                    + "and optionally ip, port, peer, peer_port, proto)");
        }
        int max = Params.range("max_packets", maxPackets, 100_000, 1, 1_000_000);
        Uni<ProbeQuery> query;
        if (flowId != null && !flowId.isBlank()) {
            query = Panache.withSession(() -> StoredFlow.<StoredFlow>findById(flowId.trim())).map(f -> {
                if (f == null) {
                    throw ApiException.notFound("no flow with id " + flowId);
                }
                return forFlow(f);
            });
        } else if (alertId != null && !alertId.isBlank()) {
            query = Panache.withSession(() -> StoredAlert.<StoredAlert>findById(alertId.trim())).map(a -> {
                if (a == null) {
                    throw ApiException.notFound("no alert with id " + alertId);
                }
                return forAlert(a);
            });
        } else {
            query = Uni.createFrom().item(forRange(probe.trim(), runId, from, to, ip, port, peer, peerPort, proto));
        }
        Uni<Relayed> answer = query.chain(q -> fetch(q, max))
                .onFailure(ApiException.class).recoverWithItem(e -> {
                    ApiException a = (ApiException) e;
                    return Relayed.problem(a.status(), a.kind(), a.getMessage());
                });
        return RestMulti.fromUniResponse(answer, Relayed::body, Relayed::headers, Relayed::status);
    }

    /** Both directions of the flow's 5-tuple, from its first packet to its last (inclusive). */
    static ProbeQuery forFlow(StoredFlow f) {
        return new ProbeQuery(f.probeId, new PcapQuery(null, f.firstSeen, f.lastSeen.plusNanos(1000), f.srcIp,
                f.srcPort, f.dstIp, f.dstPort, (int) f.ipProto), "netwatch-flow-" + safe(f.flowId) + ".pcapng");
    }

    /** The alert's source (with its target, when the alert names one) from its first hit to its last. */
    static ProbeQuery forAlert(StoredAlert a) {
        return new ProbeQuery(a.probeId, new PcapQuery(null, a.firstSeen, a.lastSeen.plusNanos(1000), a.srcIp, null,
                a.srcIp == null ? null : a.dstIp, null, null), "netwatch-alert-" + safe(a.alertId) + ".pcapng");
    }

    /** A time range of one probe, checked here (as the probe checks it) so a bad parameter is a 400 before any
     * probe is asked. */
    static ProbeQuery forRange(String probe, String runId, String from, String to, String ip, Integer port,
                               String peer, Integer peerPort, Integer proto) {
        try {
            return new ProbeQuery(probe, PcapQuery.parse(runId, from, to, ip, port, peer, peerPort, proto),
                    "netwatch-" + safe(probe) + ".pcapng");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private Uni<Relayed> fetch(ProbeQuery q, int maxPackets) {
        ProbeStatus status = live.probes().get(q.probeId());
        if (status == null) {
            throw ApiException.notFound("probe " + q.probeId() + " has not reported; known probes: "
                    + String.join(", ", live.probes().keySet()));
        }
        if (status.apiUrl() == null || status.apiUrl().isBlank()) {
            throw new ApiException(409, "probe-unreachable", "probe " + q.probeId() + " announces no api_url, so "
                    + "its raw frames cannot be fetched; set NETWATCH_PROBE_API_URL on that probe");
        }
        String query = q.query().queryString();
        URI uri = URI.create(status.apiUrl().replaceAll("/+$", "") + "/api/probe/pcap?" + query
                + (query.isEmpty() ? "" : "&") + "max_packets=" + maxPackets);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(PROBE_ANSWER_TIMEOUT).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()))
                .map(r -> new Relayed(r.statusCode(),
                        r.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                        r.statusCode() == 200 ? q.fileName() : null,
                        Multi.createFrom().publisher(r.body()).map(PcapExportResource::bytes)))
                .onFailure().recoverWithItem(e -> unreachable(q.probeId(), status.apiUrl(), e));
    }

    private static Relayed unreachable(String probeId, String url, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        boolean timeout = cause instanceof HttpTimeoutException;
        String why = cause instanceof ConnectException ? "refused the connection" : timeout
                ? "did not answer within " + PROBE_ANSWER_TIMEOUT.toSeconds() + " s" : "failed: " + cause;
        return Relayed.problem(timeout ? 504 : 502, "probe-unreachable", "probe " + probeId + " at " + url + " " + why);
    }

    private static byte[] bytes(List<ByteBuffer> buffers) {
        int n = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int len = b.remaining();
            b.get(out, at, len);
            at += len;
        }
        return out;
    }

    /** A file name part without anything a browser or shell would trip on. */
    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
