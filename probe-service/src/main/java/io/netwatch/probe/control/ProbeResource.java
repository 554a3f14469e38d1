package io.netwatch.probe.control;

import io.netwatch.probe.capture.CaptureException;
import io.netwatch.probe.capture.LiveCapture;
import io.netwatch.records.ProbeStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Arrays;
import java.util.List;

/** The probe's own control API. */
@Path("/api/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    @Inject
    ProbeService probe;

    @GET
    @Path("/status")
    @Operation(summary = "What the probe is doing, with packet, error and drop counters of the current run")
    public ProbeStatus status() {
        return probe.status();
    }

    @GET
    @Path("/interfaces")
    @Operation(summary = "Interfaces libpcap can capture on")
    public List<String> interfaces() {
        String names = LiveCapture.interfaceNames();
        return names.startsWith("(") ? List.of() : Arrays.asList(names.split(", "));
    }

    @POST
    @Path("/capture")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start live capture (interface, BPF filter, snaplen, promiscuous), replacing any run")
    public ProbeStatus capture(CaptureRequest request) throws CaptureException {
        return probe.startCapture(request == null ? new CaptureRequest(null, null, null, null) : request);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay a pcap or pcapng file on the probe's file system at a speed (0: as fast as possible)")
    public ProbeStatus replay(ReplayRequest request) throws CaptureException {
        if (request == null) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST, "a replay needs a JSON body with a path");
        }
        return probe.startReplay(request);
    }

    @POST
    @Path("/stop")
    @Operation(summary = "Stop the current capture or replay")
    public ProbeStatus stop() {
        return probe.stop();
    }
}
