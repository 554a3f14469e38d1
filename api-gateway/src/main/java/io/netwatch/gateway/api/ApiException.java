package io.netwatch.gateway.api;

/** A request the gateway refuses, with the status and a message that says what to change. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String kind;

    public ApiException(int status, String kind, String message) {
        super(message);
        this.status = status;
        this.kind = kind;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }
}
