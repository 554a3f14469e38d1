package io.netwatch.gateway.api;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.InputStream;

/** Capture uploads for replay: the body is the file itself. */
@Path("/api/uploads")
public class UploadsResource {
    @Inject
    Uploads uploads;

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Upload a PCAP or PCAPNG file (operator); replay it with /api/probes/{id}/replay")
    public Response upload(InputStream body, @QueryParam("name") String name) {
        return Response.status(201).entity(uploads.store(body, name)).build();
    }
}
