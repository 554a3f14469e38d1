package io.netwatch.probe.frames;

/**
 * A raw frame held for PCAP export, with the decoded addresses it is selected by (null or -1 when it has none);
 * {@code data} is a copy of its captured bytes, or null while it is only being matched.
 */
public record HeldFrame(String runId, long tsNanos, int linkType, int wireLen, byte[] data, String srcIp, String dstIp,
                        int srcPort, int dstPort, int ipProto) {

    HeldFrame withData(byte[] bytes) {
        return new HeldFrame(runId, tsNanos, linkType, wireLen, bytes, srcIp, dstIp, srcPort, dstPort, ipProto);
    }
}
