package io.netwatch.gateway.api;

import io.netwatch.gateway.GatewayConfig;
import io.netwatch.gateway.GatewayService;
import io.netwatch.gateway.auth.AccessFilter;
import io.netwatch.gateway.auth.Caller;
import io.netwatch.gateway.live.LiveView;
import io.netwatch.records.ProbeCommand;
import io.netwatch.records.ProbeStatus;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Probes and their control. Commands go to the probe through netwatch.probe-commands.v1 (the gateway need not
 * reach the probe's node); the answer is 202 with the command, and the probe's next status tells the outcome.
 */
@Path("/api/probes")
@Produces(MediaType.APPLICATION_JSON)
public class ProbesResource {

    /** Start a live capture. */
    public record CaptureCommand(String iface, String filter, Integer snaplen, Boolean promiscuous) {
    }

    /** Replay a capture uploaded to /api/uploads. */
    public record ReplayCommand(String uploadId, Double speed, Boolean loop) {
    }

    @Inject
    LiveView live;

    @Inject
    GatewayService gateway;

    @Inject
    Uploads uploads;

    @Inject
    GatewayConfig config;

    @GET
    @Operation(summary = "Every probe that has reported, with its latest status")
    public List<ProbeStatus> list() {
        return live.probes().values().stream().sorted(Comparator.comparing(ProbeStatus::probeId)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One probe's latest status")
    public ProbeStatus one(@PathParam("id") String id) {
        return known(id);
    }

    @POST
    @Path("/{id}/capture")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Start a live capture on an interface with a BPF filter (operator)")
    public Response capture(@PathParam("id") String id, CaptureCommand body, @Context ContainerRequestContext rq) {
        known(id);
        if (body == null || body.iface() == null || body.iface().isBlank()) {
            throw ApiException.badRequest("iface is required: the interface to capture on, e.g. eth0");
        }
        if (body.snaplen() != null && (body.snaplen() < 64 || body.snaplen() > 262144)) {
            throw ApiException.badRequest("snaplen must be from 64 to 262144, not " + body.snaplen());
        }
        return send(new ProbeCommand(UUID.randomUUID().toString(), id, ProbeCommand.START_CAPTURE, body.iface(),
                body.filter(), body.snaplen(), body.promiscuous(), null, null, null, System.currentTimeMillis(),
                caller(rq)));
    }

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Replay an uploaded capture at a speed (operator); speed 0 is as fast as possible")
    public Response replay(@PathParam("id") String id, ReplayCommand body, @Context ContainerRequestContext rq) {
        known(id);
        if (body == null || body.uploadId() == null) {
            throw ApiException.badRequest("upload_id is required: upload the capture to /api/uploads first");
        }
        double speed = body.speed() == null ? 1.0 : body.speed();
        if (speed < 0 || speed > 1000 || Double.isNaN(speed)) {
            throw ApiException.badRequest("speed must be from 0 (as fast as possible) to 1000, not " + speed);
        }
        String path = uploads.path(body.uploadId()).toString();
        return send(new ProbeCommand(UUID.randomUUID().toString(), id, ProbeCommand.START_REPLAY, null, null, null,
                null, path, speed, body.loop(), System.currentTimeMillis(), caller(rq)));
    }

    @POST
    @Path("/{id}/stop")
    @Blocking
    @Operation(summary = "Stop the probe's capture or replay (operator)")
    public Response stop(@PathParam("id") String id, @Context ContainerRequestContext rq) {
        known(id);
        return send(new ProbeCommand(UUID.randomUUID().toString(), id, ProbeCommand.STOP, null, null, null, null,
                null, null, null, System.currentTimeMillis(), caller(rq)));
    }

    private Response send(ProbeCommand command) {
        gateway.send(command);
        return Response.accepted(command).build();
    }

    private ProbeStatus known(String id) {
        ProbeStatus s = live.probes().get(id);
        if (s == null) {
            throw ApiException.notFound("no probe '" + id + "' has reported; known: " + live.probes().keySet());
        }
        return s;
    }

    private static String caller(ContainerRequestContext rq) {
        return ((Caller) rq.getProperty(AccessFilter.CALLER)).name();
    }
}
