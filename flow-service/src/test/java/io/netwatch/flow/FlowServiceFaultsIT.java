package io.netwatch.flow;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topic;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged flow-service as its own process, through the faults a deployment meets in the middle of a capture:
 * the service killed with SIGKILL (no commit, no close, an open transaction left behind) and started again on the
 * same state folder; the broker stopped and started again under it. Either way no flow is lost, none doubled, and
 * every packet is counted once.
 */
class FlowServiceFaultsIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final String GROUP = "netwatch-flow-service";
    private static final String CAPTURE = "attacks/nmap-port80-aggressive.pcap";
    /** tshark -q -z conv,tcp on the capture. */
    private static final int TCP_CONVERSATIONS = 35;

    @Test
    void aKilledFlowServiceLosesAndDoublesNothing() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        ServiceProcess.Launcher service = service(bootstrap);
        Topic<String, byte[]> changelog = new Topic<>(GROUP + "-" + FlowTopology.FLOW_STORE + "-changelog",
                Serdes.String(), Serdes.ByteArray(), true, 0, 0);
        replayThrough(bootstrap, service.start(StreamsFaultSettings.TO_BE_KILLED), StreamsFault.kill(
                () -> TopicReader.readUncommitted(bootstrap, changelog, r -> true, 20, Duration.ofSeconds(60)),
                service));
    }

    @Test
    void aBrokerRestartUnderTheFlowServiceLosesAndDoublesNothing() throws Exception {
        replayThroughBrokerFault(false);
    }

    @Test
    void aBrokerKilledUnderTheFlowServiceLosesAndDoublesNothing() throws Exception {
        replayThroughBrokerFault(true);
    }

    /** The capture through a broker of the test's own, stopped (or killed) once the service is at work. */
    private void replayThroughBrokerFault(boolean kill) throws Exception {
        try (RestartableBroker broker = kill ? RestartableBroker.startProcess() : RestartableBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            replayThrough(bootstrap, service(bootstrap).start(StreamsFaultSettings.QUICK_TAKEOVER),
                    StreamsFault.brokerDown(broker, kill, () -> PacketTopicWriter.awaitConsumed(bootstrap, GROUP,
                            Topics.PACKETS.name(), 1, Duration.ofSeconds(60))));
        }
    }

    /** Sends the capture's first half, lets the fault strike, sends the rest and checks every flow and packet. */
    private void replayThrough(String bootstrap, ServiceProcess first, StreamsFault fault) throws Exception {
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(SharedPcaps.file(CAPTURE), 0);
        int half = packets.size() / 2;
        long last = packets.get(packets.size() - 1).record().ts();
        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(0, half));
        Runnable sendRest = () -> {
            PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(half, packets.size()));
            PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, List.of(new PacketRecordFactory.Keyed(
                    "end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file", last))));
        };
        try (ServiceProcess after = fault.strike(first, sendRest)) {
            TopicReader.read(bootstrap, Topics.FLOWS, r -> r.value().recordType().equals(FlowRecord.FINAL)
                    && r.value().ipProto() == 6, TCP_CONVERSATIONS, Duration.ofSeconds(120)); // the end of run is in
            List<FlowRecord> finals = TopicReader.read(bootstrap, Topics.FLOWS,
                            r -> r.value().recordType().equals(FlowRecord.FINAL), Integer.MAX_VALUE,
                            Duration.ofSeconds(5)).stream().map(ConsumerRecord::value).toList();
            assertEquals(finals.size(), finals.stream().map(FlowRecord::flowId).distinct().count(), "no flow twice");
            assertEquals(TCP_CONVERSATIONS, finals.stream().filter(f -> f.ipProto() == 6).count(),
                    "tshark's TCP conversations");
            assertEquals(packets.size(), finals.stream().mapToLong(FlowRecord::totalPkts).sum(),
                    "every packet counted once across the fault");
        }
    }

    /** The packaged service on a broker, with a state folder and log of its own that outlive its restarts. */
    private static ServiceProcess.Launcher service(String bootstrap) throws Exception {
        int port = LocalKafkaBroker.freePort();
        return new ServiceProcess.Launcher(JAR, port, Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_FLOW_HTTP_PORT", String.valueOf(port),
                "NETWATCH_FLOW_STATE_DIR", Files.createTempDirectory("flow-faults-state").toString(),
                "NETWATCH_FLOW_IDLE_TIMEOUT", "1d", "NETWATCH_FLOW_QUIET_FLUSH", "1d"),
                Files.createTempFile("flow-faults", ".log"));
    }
}
