package io.netwatch.probe.capture;

/** A frame handed from the capture thread to the decoding thread; the capture loop does nothing more per packet. */
public record CapturedFrame(long tsNanos, byte[] data, int wireLen) {
}
