package io.netwatch.flow;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topic;
import io.netwatch.records.TopicSetup;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restart in the middle of a capture, on a new machine (empty state directory, so the flow state comes back
 * from its changelog), neither loses nor double-counts a flow.
 */
class FlowRestartTest {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final FlowTopology.Names names = new FlowTopology.Names("restart-" + run + ".packets",
            "restart-" + run + ".flows", "restart-" + run + ".metrics", "restart-" + run + ".tallies");

    @Test
    void aRestartMidCaptureNeitherLosesNorDoublesFlows() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TopicSetup.ensure(bootstrap, 3, (short) 1, List.of(
                new Topic<>(names.packets(), null, null, false, 0, 0), new Topic<>(names.flows(), null, null, false, 0, 0),
                new Topic<>(names.metrics(), null, null, false, 0, 0), new Topic<>(names.tallies(), null, null, false, 0, 0)));
        List<Map.Entry<String, PacketRecord>> packets = decode("attacks/nmap-port80-aggressive.pcap");
        int half = packets.size() / 2;

        KafkaStreams first = start(bootstrap);
        send(bootstrap, packets.subList(0, half));
        waitUntilConsumed(bootstrap, half);
        first.close(Duration.ofSeconds(30));

        KafkaStreams second = start(bootstrap); // new state directory: restores from the changelog
        send(bootstrap, packets.subList(half, packets.size()));
        long last = packets.get(packets.size() - 1).getValue().ts();
        send(bootstrap, List.of(Map.entry("end/run", PacketRecord.endOfRun("run", "restart-probe", "file", last))));
        List<FlowRecord> flows = readFlows(bootstrap, 35);
        second.close(Duration.ofSeconds(30));

        List<FlowRecord> finals = flows.stream().filter(f -> f.recordType().equals(FlowRecord.FINAL)).toList();
        assertEquals(finals.size(), finals.stream().map(FlowRecord::flowId).distinct().count(), "no flow twice");
        assertEquals(35, finals.stream().filter(f -> f.ipProto() == 6).count(), "tshark's 35 TCP conversations");
        assertEquals(packets.size(), finals.stream().mapToLong(FlowRecord::totalPkts).sum(),
                "every packet counted once across the restart");
    }

    private KafkaStreams start(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "restart-test-" + run);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("restart-state").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        FlowSettings s = new FlowSettings(Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(5),
                Duration.ofDays(1), Duration.ofSeconds(3));
        KafkaStreams streams = new KafkaStreams(FlowTopology.build(s, true, names), p);
        streams.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (streams.state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(KafkaStreams.State.RUNNING, streams.state());
        return streams;
    }

    private List<Map.Entry<String, PacketRecord>> decode(String capture) throws Exception {
        List<Map.Entry<String, PacketRecord>> out = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        DecodedFrame f = new DecodedFrame();
        PacketRecordFactory factory = new PacketRecordFactory("restart-probe", "file", 0);
        try (CaptureFileReader r = CaptureFileReader.open(SharedPcaps.file(capture))) {
            r.readAll((ts, lt, buf, off, cap, wire) -> {
                decoder.decode(lt, buf, off, cap, wire, f);
                PacketRecordFactory.Keyed k = factory.build("p" + out.size(), ts, f, buf);
                out.add(Map.entry(k.key(), k.record()));
            });
        }
        return out;
    }

    private void send(String bootstrap, List<Map.Entry<String, PacketRecord>> packets) throws Exception {
        try (KafkaProducer<String, PacketRecord> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                Topics.PACKETS.valueSerde().serializer())) {
            for (Map.Entry<String, PacketRecord> e : packets) {
                if (e.getValue().hasMarker()) {
                    for (int partition = 0; partition < 3; partition++) {
                        p.send(new ProducerRecord<>(names.packets(), partition, e.getValue().ts() / 1000, e.getKey(),
                                e.getValue()));
                    }
                } else {
                    p.send(new ProducerRecord<>(names.packets(), null, e.getValue().ts() / 1000, e.getKey(),
                            e.getValue()));
                }
            }
            p.flush();
        }
    }

    /** Waits until the application has committed offsets for {@code count} input records. */
    private void waitUntilConsumed(String bootstrap, long count) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                long committed = admin.listConsumerGroupOffsets("restart-test-" + run).partitionsToOffsetAndMetadata()
                        .get().entrySet().stream().filter(e -> e.getKey().topic().equals(names.packets()))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= count) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the first instance did not consume the first half in time");
    }

    private List<FlowRecord> readFlows(String bootstrap, int atLeastTcp) throws Exception {
        List<FlowRecord> out = new ArrayList<>();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + run);
        cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        try (KafkaConsumer<String, FlowRecord> c = new KafkaConsumer<>(cfg, new StringDeserializer(),
                Topics.FLOWS.valueSerde().deserializer())) {
            c.subscribe(List.of(names.flows()));
            long deadline = System.currentTimeMillis() + 60_000;
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, FlowRecord> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (settleUntil == Long.MAX_VALUE && out.stream().filter(f -> f.ipProto() == 6).count() >= atLeastTcp) {
                    settleUntil = System.currentTimeMillis() + 2000; // and whatever would come twice
                }
            }
        }
        assertTrue(!out.isEmpty(), "flows arrived");
        return out;
    }
}
