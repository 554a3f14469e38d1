package io.netwatch.probe.capture;

import java.io.IOException;

/** The file is not a capture this reader understands, or is corrupt beyond the point where frames can be found. */
public class CaptureFormatException extends IOException {
    public CaptureFormatException(String message) {
        super(message);
    }
}
