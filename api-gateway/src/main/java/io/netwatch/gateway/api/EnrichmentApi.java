package io.netwatch.gateway.api;

import io.netwatch.records.IpIntel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** The enrichment-service's lookup of one address (GeoIP, lists, reputation), as a REST client. */
@Path("/api/enrichment/ip")
public interface EnrichmentApi {
    @GET
    @Path("/{ip}")
    IpIntel lookup(@PathParam("ip") String ip);
}
