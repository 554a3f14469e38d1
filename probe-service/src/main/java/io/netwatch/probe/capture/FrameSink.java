package io.netwatch.probe.capture;

/**
 * Receives frames from a capture source. The bytes are only valid during the call: sources reuse their buffers,
 * so a sink that keeps a frame copies it.
 */
@FunctionalInterface
public interface FrameSink {
    /**
     * @param tsNanos  capture time, nanoseconds since the epoch
     * @param linkType LINKTYPE_ value of the interface the frame was captured on
     * @param capLen   bytes captured (at most the snaplen)
     * @param wireLen  length of the frame on the wire
     */
    void frame(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen);
}
