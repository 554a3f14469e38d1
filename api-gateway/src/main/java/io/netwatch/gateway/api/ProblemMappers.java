package io.netwatch.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.netwatch.records.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure answers application/problem+json with a message that says what is wrong. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return problem(e.status(), e.kind(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return problem(400, "bad-json", "the request body is not valid JSON for this endpoint: "
                + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return problem(400, "bad-json", "the request body does not fit this endpoint: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = e.getMessage();
        if (status == 404 && (detail == null || detail.startsWith("HTTP 404"))) {
            detail = "no such resource; the API is described at /q/openapi and /q/swagger-ui";
        }
        return problem(status, "http-" + status, detail);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.warn("request failed", e);
        return problem(500, "internal", "the gateway failed to handle the request: " + e.getMessage());
    }

    public static Response problem(int status, String kind, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, kind, detail)).build();
    }
}
