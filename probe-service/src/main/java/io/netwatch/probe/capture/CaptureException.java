package io.netwatch.probe.capture;

/** A capture or replay that cannot start, with a message an operator can act on and the kind of cause. */
public class CaptureException extends Exception {
    public enum Kind { NO_SUCH_INTERFACE, PERMISSION, BAD_FILTER, NO_SUCH_FILE, NOT_A_CAPTURE, BAD_REQUEST, FAILED }

    private final Kind kind;

    public CaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CaptureException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
