package io.netwatch.detection;

import io.netwatch.detection.rules.BeaconRule;
import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.records.FlowRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads finished flows for the rules that judge whole connections: a short TCP connection to a login service is
 * one password guess (a failed login ends the connection within seconds; an interactive session lasts longer),
 * and every connection's start is one point in the beaconing rule's series for its source, destination and port.
 */
final class FlowInspector implements Processor<String, FlowRecord, String, Object> {
    private final DetectionSettings settings;
    private ProcessorContext<String, Object> context;

    FlowInspector(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, FlowRecord> record) {
        FlowRecord f = record.value();
        if (f == null || !FlowRecord.FINAL.equals(f.recordType())) {
            return;
        }
        if (f.dstPort() != null && f.srcIp() != null && !InternalNetworks.isSpecial(f.dstIp())) {
            emit(new Observation(BeaconRule.NAME, f.srcIp() + ">" + f.dstIp() + ":" + f.transport() + "/"
                    + f.dstPort(), f.ts(), f.probeId(), f.srcIp(), f.dstIp(), f.dstPort(), null, 1));
        }
        if (!"tcp".equals(f.transport())
                || f.dstPort() == null || !settings.loginPorts().contains(f.dstPort())) {
            return;
        }
        boolean shortLived = f.durationUs() < settings.shortLogin().toNanos() / 1000;
        // a connection the server never answered is a scan's business, not a login attempt
        boolean answered = f.respPkts() > 0 && !"S0".equals(f.connState()) && !"REJ".equals(f.connState());
        if (!shortLived || !answered) {
            return;
        }
        emit(new Observation(WindowRules.BRUTE_FORCE.name(), f.srcIp() + ">" + f.dstIp() + ":" + f.dstPort(), f.ts(),
                f.probeId(), f.srcIp(), f.dstIp(), f.dstPort(), null, 1));
    }

    /**
     * Whether this inspector feeds the window rule: its observations come from the flow-service's flows, which
     * end after the packets of a run do.
     */
    static boolean feeds(String rule) {
        return WindowRules.BRUTE_FORCE.name().equals(rule) || BeaconRule.NAME.equals(rule);
    }

    private void emit(Observation o) {
        context.forward(new Record<String, Object>(o.key(), o, o.ts() / 1000), PacketInspector.OBSERVATIONS);
    }
}
