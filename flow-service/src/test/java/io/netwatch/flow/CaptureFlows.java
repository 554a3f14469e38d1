package io.netwatch.flow;

import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.probe.publish.PacketFilter;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** Runs a real capture through the probe's decoder and the flow topology, and returns the flows at its end. */
public final class CaptureFlows {
    private CaptureFlows() {
    }

    /** Timeouts long enough that no capture here is split by them, as tshark's conversations are not. */
    public static final FlowSettings NO_SPLIT = new FlowSettings(Duration.ofDays(365), Duration.ofDays(365),
            Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofSeconds(3));

    public static List<FlowRecord> of(Path capture, FlowSettings settings) throws Exception {
        return of(CapturePackets.of(capture, 0), settings);
    }

    /** The final flow records of packets as the probe would publish them, ended by an end-of-run marker. */
    public static List<FlowRecord> of(List<PacketRecordFactory.Keyed> packets, FlowSettings settings)
            throws Exception {
        return of(packets, settings, 0);
    }

    /**
     * @param perBatch 0: one record per packet on netwatch.packets.v1; otherwise batches of at most that many on
     *                 netwatch.packet-batches.v1, formed as the probe forms them; for one partition, as the test
     *                 driver has one (with more, batches of other partitions would interleave in its one task)
     */
    public static List<FlowRecord> of(List<PacketRecordFactory.Keyed> packets, FlowSettings settings, int perBatch)
            throws Exception {
        return run(packets, settings, perBatch, FlowSource.PACKETS).finals();
    }

    /** What the topology publishes for a capture: its final flow records and every metrics record. */
    public record Output(List<FlowRecord> flows, List<TrafficMetrics> metrics) {
        public List<FlowRecord> finals() {
            return flows.stream().filter(r -> r.recordType().equals(FlowRecord.FINAL)).toList();
        }
    }

    /**
     * @param perBatch 0: one record per packet on netwatch.packets.v1; otherwise batches of at most that many on
     *                 netwatch.packet-batches.v1 (packets source only)
     * @param source   with FLOW_UPDATES, a probe's flow table (one lane, update interval 1 s) makes the updates,
     *                 each piped before the packet that made it, as the probe's encoder sends them
     */
    public static Output run(List<PacketRecordFactory.Keyed> packets, FlowSettings settings, int perBatch,
                             FlowSource source) throws Exception {
        return run(packets, settings, perBatch, source, PacketFilter.ALL);
    }

    /** @param filter with FLOW_UPDATES: the packet records piped beside the updates, as the probe's filter keeps */
    public static Output run(List<PacketRecordFactory.Keyed> packets, FlowSettings settings, int perBatch,
                             FlowSource source, PacketFilter filter) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "flow-capture-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("flow-capture").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(FlowTopology.build(settings, false,
                FlowTopology.Names.CONTRACT, InputWatch.NONE, source), props, Instant.ofEpochMilli(0))) {
            TestInputTopic<String, PacketRecord> in = driver.createInputTopic(Topics.PACKETS.name(),
                    new StringSerializer(), Topics.PACKETS.valueSerde().serializer());
            long last = 0;
            for (PacketRecordFactory.Keyed k : packets) {
                last = Math.max(last, k.record().ts());
            }
            if (source == FlowSource.FLOW_UPDATES) {
                TestInputTopic<String, FlowUpdate> updates = driver.createInputTopic(Topics.FLOW_UPDATES.name(),
                        new StringSerializer(), Topics.FLOW_UPDATES.valueSerde().serializer());
                FlowCache cache = new FlowCache("run", settings.timeouts(), Duration.ofSeconds(1),
                        (key, u) -> updates.pipeInput(key, u, Math.max(0, u.lastSeen() / 1000)));
                for (PacketRecordFactory.Keyed k : packets) {
                    cache.add(k.key(), k.record());
                    if (filter.keeps(k.key(), k.record())) {
                        in.pipeInput(k.key(), k.record(), Math.max(0, k.record().ts() / 1000));
                    }
                }
                cache.endAll();
            } else if (perBatch == 0) {
                for (PacketRecordFactory.Keyed k : packets) {
                    in.pipeInput(k.key(), k.record(), Math.max(0, k.record().ts() / 1000));
                }
            } else {
                TestInputTopic<String, PacketBatch> batches = driver.createInputTopic(Topics.PACKET_BATCHES.name(),
                        new StringSerializer(), Topics.PACKET_BATCHES.valueSerde().serializer());
                for (PacketBatch b : CapturePackets.batches(packets, 1, perBatch)) {
                    batches.pipeInput(CapturePackets.PROBE, b, b.eventTimeUs() / 1000);
                }
            }
            in.pipeInput("end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last), last / 1000);
            List<FlowRecord> flows = driver.createOutputTopic(Topics.FLOWS.name(), new StringDeserializer(),
                    Topics.FLOWS.valueSerde().deserializer()).readValuesToList();
            // the last windows close on the wall clock once the input is quiet
            driver.advanceWallClockTime(settings.quietFlush().plus(settings.metricsLateness()).multipliedBy(3));
            List<TrafficMetrics> metrics = driver.createOutputTopic(Topics.METRICS.name(), new StringDeserializer(),
                    Topics.METRICS.valueSerde().deserializer()).readValuesToList();
            return new Output(flows, metrics);
        }
    }
}
