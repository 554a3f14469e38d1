package io.netwatch.detection;

import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.records.FlowSource;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a probe writes to the broker for the detection-service's tests: every packet record, or (for
 * {@link FlowSource#FLOW_UPDATES}) its flow table's updates and the packets {@code packet-filter=rules} keeps. The
 * flow table lives as long as this object, as the probe's lives across a restart of the detection-service.
 */
final class ProbeOutput {
    private final FlowSource source;
    private final DetectionTopology.Names names;
    private final List<ProducerRecord<String, FlowUpdate>> updates = new ArrayList<>();
    private final FlowCache flows;

    ProbeOutput(FlowSource source, DetectionTopology.Names names) {
        this.source = source;
        this.names = names;
        this.flows = new FlowCache("run", FlowTimeouts.defaults(), Duration.ofSeconds(1),
                (k, u) -> updates.add(new ProducerRecord<>(names.flowUpdates(), null, Math.max(0, u.lastSeen() / 1000),
                        k, u)));
    }

    /** Writes what the probe would for these packets; an end-of-run marker ends the flows first, as the probe does. */
    void send(String bootstrap, List<PacketRecordFactory.Keyed> packets) {
        if (source == FlowSource.PACKETS) {
            PacketTopicWriter.send(bootstrap, names.packets(), 3, packets);
            return;
        }
        List<PacketRecordFactory.Keyed> kept = new ArrayList<>();
        for (PacketRecordFactory.Keyed k : packets) {
            if (k.record().hasMarker()) {
                flows.endAll();
            } else {
                flows.add(k.key(), k.record());
            }
            if (PacketFilter.RULES.keeps(k.key(), k.record())) {
                kept.add(k);
            }
        }
        PacketTopicWriter.send(bootstrap, Topics.FLOW_UPDATES.valueSerde().serializer(), new ArrayList<>(updates));
        updates.clear();
        PacketTopicWriter.send(bootstrap, names.packets(), 3, kept);
    }
}
