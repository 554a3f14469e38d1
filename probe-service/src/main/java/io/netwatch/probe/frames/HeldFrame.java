package io.netwatch.probe.frames;

import io.netwatch.records.PacketRecord;

import java.util.Arrays;

/** A raw frame kept for PCAP export, with the decoded addresses it is selected by (null or -1 when it has none). */
public record HeldFrame(String runId, long tsNanos, int linkType, int wireLen, byte[] data, String srcIp, String dstIp,
                        int srcPort, int dstPort, int ipProto) {

    /** A copy of the captured bytes, selectable by the addresses of the frame's packet record. */
    public static HeldFrame of(String runId, long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen,
                               PacketRecord r) {
        return new HeldFrame(runId, tsNanos, linkType, wireLen, Arrays.copyOfRange(buf, off, off + capLen), r.srcIp(),
                r.dstIp(), r.srcPort() == null ? -1 : r.srcPort(), r.dstPort() == null ? -1 : r.dstPort(),
                r.ipProto() == null ? -1 : r.ipProto());
    }

    /** What the ring charges a frame against its budget: its bytes plus the object and array headers. */
    long cost() {
        return data.length + 96L;
    }
}
