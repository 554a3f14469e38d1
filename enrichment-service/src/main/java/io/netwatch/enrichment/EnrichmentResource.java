package io.netwatch.enrichment;

import io.netwatch.records.IpAddresses;
import io.netwatch.records.IpIntel;
import io.netwatch.records.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The intel of one address on demand, for the gateway: GeoIP and lists at once, and the reputation providers'
 * answer (from the TTL cache, or asked now and waited for up to 15 s).
 */
@Path("/api/enrichment/ip")
@Produces(MediaType.APPLICATION_JSON)
public class EnrichmentResource {
    @Inject
    EnrichmentService service;

    @Inject
    Topology topology; // built at start with the lookups this resource uses

    @GET
    @Path("/{ip}")
    @Blocking
    @Operation(summary = "GeoIP, list hits and reputation of one address")
    public Response lookup(@PathParam("ip") String ip) throws InterruptedException {
        try {
            IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return Response.status(400).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(400, "bad-address", "not an IPv4 or IPv6 address: " + ip)).build();
        }
        AddressIntel lookups = service.intel();
        long now = System.currentTimeMillis();
        IpIntel intel = lookups.local(ip, null, now * 1000, now);
        if (lookups.wantsReputation(intel)) {
            try {
                intel = lookups.withReputation(intel, lookups.askProviders(ip).get(15, TimeUnit.SECONDS), now);
            } catch (ExecutionException | TimeoutException e) {
                // answer with what is known locally; the providers' failure is theirs, not the caller's
            }
        }
        return Response.ok(intel).build();
    }
}
