package io.netwatch.detection;

import io.netwatch.probe.flows.FlowCache;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The detection topology in a TopologyTestDriver, with in-memory stores, fed packets and flows. With
 * {@link FlowSource#FLOW_UPDATES} in the settings it is fed as probes with {@code flow-updates=true} and
 * {@code packet-filter=rules} feed it: each probe's packets go through a flow table of the probe's (one lane, an
 * update interval of 1 s), whose updates are piped before the packet that made them, and only the packets the
 * rules filter keeps follow; an end of run ends the probe's flows first.
 */
final class DetectionDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, PacketRecord> packets;
    /** With flow updates: each probe's flow table, as its probe keeps it. */
    private final TestInputTopic<String, FlowUpdate> updates;
    private final Map<String, FlowCache> probes = new HashMap<>();
    private final TestInputTopic<String, PacketBatch> batches;
    private final TestInputTopic<String, FlowRecord> flows;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<String, Observation> observations;
    /** Every alert record read so far, in order. */
    final List<Alert> records = new ArrayList<>();

    DetectionDriver(DetectionSettings settings) {
        this(settings, InputWatch.NONE);
    }

    DetectionDriver(DetectionSettings settings, InputWatch input) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detection-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("detection-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(DetectionTopology.build(settings, false, DetectionTopology.Names.CONTRACT, input,
                        Map.of(Topics.PACKETS.name(), 1, Topics.PACKET_BATCHES.name(), 1)),
                props, Instant.ofEpochMilli(0));
        packets = driver.createInputTopic(Topics.PACKETS.name(), new StringSerializer(),
                Topics.PACKETS.valueSerde().serializer());
        batches = driver.createInputTopic(Topics.PACKET_BATCHES.name(), new StringSerializer(),
                Topics.PACKET_BATCHES.valueSerde().serializer());
        flows = settings.source() == FlowSource.FLOW_UPDATES ? null : driver.createInputTopic(Topics.FLOWS.name(),
                new StringSerializer(), Topics.FLOWS.valueSerde().serializer());
        updates = settings.source() != FlowSource.FLOW_UPDATES ? null : driver.createInputTopic(
                Topics.FLOW_UPDATES.name(), new StringSerializer(), Topics.FLOW_UPDATES.valueSerde().serializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                Topics.ALERTS.valueSerde().deserializer());
        observations = driver.createOutputTopic(DetectionTopology.OBSERVATIONS.name(), new StringDeserializer(),
                Observation.SERDE.deserializer());
    }

    void packet(String key, PacketRecord p) {
        if (updates != null) {
            if (p.hasMarker()) {
                FlowCache flowTable = probes.remove(p.probeId());
                if (flowTable != null) {
                    flowTable.endAll();
                }
            } else {
                probes.computeIfAbsent(p.probeId(), probe -> new FlowCache("run-" + probe, FlowTimeouts.defaults(),
                        Duration.ofSeconds(1), (k, u) -> updates.pipeInput(k, u, Math.max(0, u.lastSeen() / 1000))))
                        .add(key, p);
            }
            if (!PacketFilter.RULES.keeps(key, p)) {
                return;
            }
        }
        packets.pipeInput(key, p, Math.max(0, p.ts() / 1000));
    }

    /**
     * Ends a probe's run with its marker read before its flows' last updates: the two are on different topics, and
     * a broker may hand the service the marker first.
     */
    void endOfRunAheadOfFlowEnds(String key, PacketRecord marker) {
        packets.pipeInput(key, marker, Math.max(0, marker.ts() / 1000));
        FlowCache flowTable = probes.remove(marker.probeId());
        if (flowTable != null) {
            flowTable.endAll();
        }
    }

    void batch(PacketBatch b) {
        if (updates != null) {
            throw new IllegalStateException("batches are read from packets only here");
        }
        batches.pipeInput(b.probeId(), b, b.eventTimeUs() / 1000);
    }

    /**
     * A finished flow. With flow updates it arrives as the probe's end update of that flow would (the topology does
     * not read netwatch.flows.v1 then).
     */
    void flow(FlowRecord f) {
        if (updates == null) {
            flows.pipeInput(f.flowId(), f, Math.max(0, f.lastSeen() / 1000));
            return;
        }
        FlowUpdate end = new FlowUpdate(f.probeId(), "run-" + f.probeId(), f.flowId(), 1, FlowUpdate.END,
                f.endReason(), f.ts(), f.lastSeen(), f.ipProto(), f.transport(), f.vlan(), f.srcIp(), f.srcPort(),
                f.dstIp(), f.dstPort(), f.communityId(), f.appProtocol(), f.origPkts(), f.origBytes(),
                f.origPayloadBytes(), f.respPkts(), f.respBytes(), f.respPayloadBytes(), 0, 0, 0, 0,
                f.origTcpFlags(), f.respTcpFlags(), null, f.connState(), f.history(), null, f.icmpType(),
                f.icmpCode(), f.dnsQueries(), f.httpHosts(), f.tlsSni());
        updates.pipeInput(f.flowId(), end, Math.max(0, f.lastSeen() / 1000));
    }

    /**
     * Lets the wall clock run (the alert flush), then returns the latest record of every alert. Flow tables age
     * with it, as a live probe's quiet lanes do.
     */
    List<Alert> alerts(Duration wallClock) {
        for (FlowCache flowTable : probes.values()) {
            if (flowTable.clock() != Long.MIN_VALUE) {
                flowTable.advanceTo(flowTable.clock() + wallClock.toNanos() / 1000);
            }
        }
        driver.advanceWallClockTime(wallClock);
        records.addAll(alerts.readValuesToList());
        Map<String, Alert> latest = new LinkedHashMap<>();
        for (Alert a : records) {
            latest.put(a.alertId(), a);
        }
        return new ArrayList<>(latest.values());
    }

    /** The keys a state store holds now. */
    List<String> storedKeys(String store) {
        List<String> keys = new ArrayList<>();
        try (org.apache.kafka.streams.state.KeyValueIterator<String, Object> it =
                     driver.<String, Object>getKeyValueStore(store).all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /** The observations the inspectors sent to the window rules since the last call. */
    List<Observation> observations() {
        return observations.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
