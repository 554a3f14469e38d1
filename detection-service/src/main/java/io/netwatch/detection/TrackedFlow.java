package io.netwatch.detection;

import io.netwatch.records.FlowUpdate;

import java.util.Arrays;

/**
 * An open flow as the packet inspector keeps it when it reads flow updates, in {@code flow-progress-store}: the
 * flow's latest update (the next one is read against it) and whether its connection attempt still waits for an
 * outcome. The attempt lives here rather than in the attempt store: its outcome comes with a later update of the
 * same flow, which writes this entry anyway.
 */
record TrackedFlow(FlowUpdate last, boolean attemptPending) {

    byte[] toBytes() {
        byte[] u = last.toBytes();
        byte[] b = new byte[u.length + 2];
        b[0] = 1; // format version
        b[1] = (byte) (attemptPending ? 1 : 0);
        System.arraycopy(u, 0, b, 2, u.length);
        return b;
    }

    static TrackedFlow fromBytes(byte[] b) {
        if (b[0] != 1) {
            throw new IllegalStateException("tracked flow of unknown format version " + b[0]);
        }
        return new TrackedFlow(FlowUpdate.fromBytes(Arrays.copyOfRange(b, 2, b.length)), b[1] != 0);
    }

    /** The attempt the flow opened, as the attempt store would hold it. */
    Attempt attempt() {
        return attemptOf(last);
    }

    /** The attempt a flow opened, as its update {@code u} shows it. */
    static Attempt attemptOf(FlowUpdate u) {
        return new Attempt(u.transport(), u.probeId(), u.srcIp(), u.srcPort(), u.dstIp(), u.dstPort(), u.ts(),
                u.lastSeen(), Attempt.SENT);
    }
}
