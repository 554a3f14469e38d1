package io.netwatch.probe.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netwatch.probe.capture.CaptureException;
import io.netwatch.records.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures to application/problem+json answers with a message that says what is wrong. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response capture(CaptureException e) {
        int status = switch (e.kind()) {
            case NO_SUCH_INTERFACE, NO_SUCH_FILE -> 404;
            case PERMISSION -> 403;
            case BAD_FILTER, BAD_REQUEST, NOT_A_CAPTURE -> 400;
            case FAILED -> 500;
        };
        return problem(status, e.kind().name().toLowerCase().replace('_', '-'), e.getMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return problem(400, "bad-json", "the request body is not valid JSON for this endpoint: "
                + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, "http-" + status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return problem(500, "internal", "the probe failed to handle the request: " + e);
    }

    static Response problem(int status, String type, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, type, detail)).build();
    }
}
