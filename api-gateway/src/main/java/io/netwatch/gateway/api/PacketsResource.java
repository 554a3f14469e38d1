package io.netwatch.gateway.api;

import io.netwatch.gateway.live.LiveView;
import io.netwatch.gateway.ws.ClientFilter;
import io.netwatch.records.PacketRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Locale;

/** The most recent packets the gateway saw (netwatch.gateway.live.packets of them), newest first. */
@Path("/api/packets")
@Produces(MediaType.APPLICATION_JSON)
public class PacketsResource {
    @Inject
    LiveView live;

    @GET
    @Operation(summary = "Recent packets, filtered by address, port, protocol (tcp, udp, icmp, dns, http, tls, arp) "
            + "or probe")
    public List<PacketRecord> recent(@QueryParam("ip") String ip, @QueryParam("port") Integer port,
                                     @QueryParam("protocol") String protocol, @QueryParam("probe") String probe,
                                     @QueryParam("limit") Integer limit) {
        ClientFilter filter = new ClientFilter(Params.ip("ip", ip), Params.port("port", port),
                protocol == null || protocol.isBlank() ? null : protocol.toLowerCase(Locale.ROOT), probe, null, null);
        return live.packets().latest(Params.range("limit", limit, 100, 1, 5000), filter::matches);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One recent packet with every decoded field")
    public PacketRecord one(@PathParam("id") String id) {
        return live.packets().byId(id).orElseThrow(() -> ApiException.notFound("packet " + id
                + " is not among the recent packets the gateway keeps"));
    }
}
