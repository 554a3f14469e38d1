package io.netwatch.probe.control;

import io.netwatch.probe.capture.CaptureException;
import io.netwatch.probe.capture.LiveCapture;
import io.netwatch.records.ProbeStatus;
import jakarta.inject.Inject;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.probe.frames.FrameSelector;
import io.netwatch.probe.frames.HeldFrame;
import io.netwatch.probe.frames.PcapngWriter;
import io.netwatch.records.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
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

    @GET
    @Path("/pcap")
    @Produces({PcapngWriter.MEDIA_TYPE, Problem.MEDIA_TYPE})
    @Operation(summary = "Held raw frames as PCAPNG: a run, a time range (from inclusive, to exclusive), optionally one conversation (ip, port, peer, "
            + "peer_port, proto; either direction). 404 when none of the held frames match.")
    public Response pcap(@QueryParam("run_id") String runId, @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("ip") String ip,
                         @QueryParam("port") Integer port, @QueryParam("peer") String peer,
                         @QueryParam("peer_port") Integer peerPort, @QueryParam("proto") Integer proto,
                         @QueryParam("max_packets") @DefaultValue("100000") int maxPackets) throws CaptureException {
        FrameSelector selector;
        try {
            selector = FrameSelector.parse(runId, from, to, ip, port, peer, peerPort, proto);
        } catch (IllegalArgumentException e) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST, e.getMessage());
        }
        if (maxPackets < 1 || maxPackets > 1_000_000) {
            throw new CaptureException(CaptureException.Kind.BAD_REQUEST,
                    "max_packets must be from 1 to 1000000, not " + maxPackets);
        }
        FrameRing ring = probe.frames();
        List<HeldFrame> frames = ring.select(selector, maxPackets);
        if (frames.isEmpty()) {
            return ProblemMappers.problem(404, "no-frames", ring.whyNothingMatches());
        }
        StreamingOutput body = out -> PcapngWriter.write(frames, probe.snaplen(), "netwatch probe " + probe.probeId(),
                out);
        return Response.ok(body, PcapngWriter.MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"netwatch-" + probe.probeId() + ".pcapng\"")
                .header("X-Netwatch-Frames", frames.size())
                .header("X-Netwatch-Truncated", frames.size() >= maxPackets)
                .build();
    }

    @GET
    @Path("/frames")
    @Operation(summary = "How many raw frames the probe holds for PCAP export, and the time they cover")
    public FrameRing.Stats frames() {
        return probe.frames().stats();
    }

    @POST
    @Path("/stop")
    @Operation(summary = "Stop the current capture or replay")
    public ProbeStatus stop() {
        return probe.stop();
    }
}
