package io.netwatch.detection;

import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The detection topology in a TopologyTestDriver, with in-memory stores, fed packets and flows. */
final class DetectionDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, PacketRecord> packets;
    private final TestInputTopic<String, PacketBatch> batches;
    private final TestInputTopic<String, FlowRecord> flows;
    private final TestOutputTopic<String, Alert> alerts;
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
        flows = driver.createInputTopic(Topics.FLOWS.name(), new StringSerializer(),
                Topics.FLOWS.valueSerde().serializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                Topics.ALERTS.valueSerde().deserializer());
    }

    void packet(String key, PacketRecord p) {
        packets.pipeInput(key, p, Math.max(0, p.ts() / 1000));
    }

    void batch(PacketBatch b) {
        batches.pipeInput(b.probeId(), b, b.eventTimeUs() / 1000);
    }

    void flow(FlowRecord f) {
        flows.pipeInput(f.flowId(), f, Math.max(0, f.lastSeen() / 1000));
    }

    /** Lets the wall clock run (the alert flush), then returns the latest record of every alert. */
    List<Alert> alerts(Duration wallClock) {
        driver.advanceWallClockTime(wallClock);
        records.addAll(alerts.readValuesToList());
        Map<String, Alert> latest = new LinkedHashMap<>();
        for (Alert a : records) {
            latest.put(a.alertId(), a);
        }
        return new ArrayList<>(latest.values());
    }

    @Override
    public void close() {
        driver.close();
    }
}
