package io.netwatch.detection;

import io.netwatch.records.FlowUpdate;

import java.util.Arrays;

/**
 * A flow whose connection attempt waits for its outcome, as the packet inspector keeps it when it reads flow
 * updates, in {@code flow-progress-store}: the update that opened the attempt. Only such flows are kept (a put when
 * the attempt opens, a delete when an update or the deadline decides it); the other updates need nothing stored,
 * as each carries what its flow added since the one before. {@code attemptPending} is true in every entry written
 * now; false ones come from versions that kept every open flow, and are dropped when the task starts.
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
