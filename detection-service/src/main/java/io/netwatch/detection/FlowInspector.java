package io.netwatch.detection;

import io.netwatch.detection.rules.BeaconRule;
import io.netwatch.detection.rules.InternalNetworks;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.records.FlowRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.function.Consumer;

/**
 * Reads finished flows for the rules that judge whole connections: a short TCP connection to a login service is
 * one password guess (a failed login ends the connection within seconds; an interactive session lasts longer),
 * and every connection's start is one point in the beaconing rule's series for its source, destination and port.
 * With flow updates as the source the packet inspector applies the same rules to the probes' {@code end} updates
 * ({@link #inspect}), and netwatch.flows.v1 is not read.
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
        if (f != null && FlowRecord.FINAL.equals(f.recordType())) {
            inspect(FinishedFlow.of(f), settings, this::emit);
        }
    }

    /** What a finished flow shows the brute-force and beaconing rules. */
    static void inspect(FinishedFlow f, DetectionSettings settings, Consumer<Observation> out) {
        if (f.dstPort() != null && f.srcIp() != null && !InternalNetworks.isSpecial(f.dstIp())) {
            out.accept(new Observation(BeaconRule.NAME, f.srcIp() + ">" + f.dstIp() + ":" + f.transport() + "/"
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
        out.accept(new Observation(WindowRules.BRUTE_FORCE.name(), f.srcIp() + ">" + f.dstIp() + ":" + f.dstPort(),
                f.ts(), f.probeId(), f.srcIp(), f.dstIp(), f.dstPort(), null, 1));
    }

    /**
     * Whether this inspector feeds the window rule: its observations come from finished flows, which end after the
     * packets of a run do (the flow-service's, or the probe's end updates, which can be read after the run's
     * end-of-run marker: they are on another topic).
     */
    static boolean feeds(String rule) {
        return WindowRules.BRUTE_FORCE.name().equals(rule) || BeaconRule.NAME.equals(rule);
    }

    private void emit(Observation o) {
        context.forward(new Record<String, Object>(o.key(), o, o.ts() / 1000), PacketInspector.OBSERVATIONS);
    }
}
