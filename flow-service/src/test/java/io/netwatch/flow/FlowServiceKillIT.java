package io.netwatch.flow;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged flow-service, killed with SIGKILL in the middle of a capture (no commit, no close, an open
 * transaction left behind) and started again on the same state folder: no flow is lost, none doubled, every
 * packet counted once.
 */
class FlowServiceKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));

    @Test
    void aKilledFlowServiceLosesAndDoublesNothing() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Path state = Files.createTempDirectory("flow-kill-state");
        Path log = Files.createTempFile("flow-kill", ".log");
        int port = LocalKafkaBroker.freePort();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_FLOW_HTTP_PORT", String.valueOf(port), "NETWATCH_FLOW_STATE_DIR", state.toString(),
                "NETWATCH_FLOW_IDLE_TIMEOUT", "1d", "NETWATCH_FLOW_QUIET_FLUSH", "1d");
        // the killed instance's group membership lapses after 6 s instead of 45
        Map<String, String> props = Map.of("kafka-streams.consumer.session.timeout.ms", "6000",
                "kafka-streams.consumer.heartbeat.interval.ms", "2000");
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(
                "attacks/nmap-port80-aggressive.pcap"), 0);
        int half = packets.size() / 2;

        ServiceProcess first = ServiceProcess.start(JAR, port, env, props, log);
        first.awaitReady(Duration.ofSeconds(90));
        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(0, half));
        PacketTopicWriter.awaitConsumed(bootstrap, "netwatch-flow-service", Topics.PACKETS.name(), half / 2,
                Duration.ofSeconds(60));
        first.kill(); // somewhere in the first half, between two commits

        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(half, packets.size()));
        long last = packets.get(packets.size() - 1).record().ts();
        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, List.of(new PacketRecordFactory.Keyed("end/run",
                PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last))));
        try (ServiceProcess second = ServiceProcess.start(JAR, port, env, props, log)) {
            second.awaitReady(Duration.ofSeconds(90));
            TopicReader.read(bootstrap, Topics.FLOWS, r -> r.value().recordType().equals(FlowRecord.FINAL)
                    && r.value().ipProto() == 6, 35, Duration.ofSeconds(90)); // the end of run has been processed
            List<FlowRecord> finals = TopicReader.read(bootstrap, Topics.FLOWS,
                            r -> r.value().recordType().equals(FlowRecord.FINAL), Integer.MAX_VALUE,
                            Duration.ofSeconds(5)).stream().map(ConsumerRecord::value).toList();
            assertEquals(finals.size(), finals.stream().map(FlowRecord::flowId).distinct().count(), "no flow twice");
            assertEquals(35, finals.stream().filter(f -> f.ipProto() == 6).count(), "tshark's 35 TCP conversations");
            assertEquals(packets.size(), finals.stream().mapToLong(FlowRecord::totalPkts).sum(),
                    "every packet counted once across the kill");
        }
    }
}
