package io.netwatch.gateway.auth;

import io.netwatch.records.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Guards /api: GET and HEAD read, every other method changes something. The caller is left in the request for
 * the resources (acknowledgements and commands record who).
 */
public class AccessFilter {
    public static final String CALLER = "netwatch.caller";

    @Inject
    AccessTokens tokens;

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String method = request.getMethod();
        boolean control = !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
        String token = AccessTokens.token(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getUriInfo().getQueryParameters().getFirst("access_token"));
        AccessTokens.Access access = tokens.check(token, control);
        if (!access.allowed()) {
            return Optional.of(Response.status(access.status()).type(Problem.MEDIA_TYPE)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"netwatch\"")
                    .entity(Problem.of(access.status(), access.status() == 401 ? "unauthorized" : "forbidden",
                            access.reason())).build());
        }
        request.setProperty(CALLER, access.caller());
        return Optional.empty();
    }
}
