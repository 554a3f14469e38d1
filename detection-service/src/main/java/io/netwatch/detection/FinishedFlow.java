package io.netwatch.detection;

import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowUpdate;

/**
 * What the rules that judge whole connections take from a finished flow, whichever record tells of it: a
 * {@code final} record of netwatch.flows.v1, or a probe's {@code end} update.
 */
record FinishedFlow(long ts, long durationUs, String probeId, String srcIp, String dstIp, String transport,
                    Integer dstPort, long respPkts, String connState) {

    static FinishedFlow of(FlowRecord f) {
        return new FinishedFlow(f.ts(), f.durationUs(), f.probeId(), f.srcIp(), f.dstIp(), f.transport(),
                f.dstPort(), f.respPkts(), f.connState());
    }

    static FinishedFlow of(FlowUpdate u) {
        return new FinishedFlow(u.ts(), u.lastSeen() - u.ts(), u.probeId(), u.srcIp(), u.dstIp(), u.transport(),
                u.dstPort(), u.respPkts(), u.connState());
    }
}
