package io.netwatch.probe.frames;

/** A raw frame kept for PCAP export, with the decoded addresses it is selected by (null or -1 when it has none). */
public record HeldFrame(String runId, long tsNanos, int linkType, int wireLen, byte[] data, String srcIp, String dstIp,
                        int srcPort, int dstPort, int ipProto) {

    /** What the ring charges a frame against its budget: its bytes plus the object and array headers. */
    long cost() {
        return data.length + 96L;
    }
}
