package io.netwatch.detection;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.flow.StreamsFaultSettings;
import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged detection-service, killed with SIGKILL in the middle of a scan (no commit, no close, an open
 * transaction left behind) and started again on the same state folder: the scan ends in one alert with every
 * port counted once, and no version of any alert is written twice.
 */
class DetectionServiceKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final String GROUP = "netwatch-detection-service";
    private static final String SCANNER = "172.31.15.102";
    private static final String TARGET = "198.124.152.15";

    @Test
    void aKilledDetectionServiceLosesAndDoublesNothing() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Path state = Files.createTempDirectory("detection-kill-state");
        Path log = Files.createTempFile("detection-kill", ".log");
        int port = LocalKafkaBroker.freePort();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_DETECTION_HTTP_PORT", String.valueOf(port),
                "NETWATCH_DETECTION_STATE_DIR", state.toString());
        Map<String, String> props = StreamsFaultSettings.QUICK_TAKEOVER;
        // the first instance's observations and state changes are in the open transaction when the kill strikes
        Map<String, String> firstProps = StreamsFaultSettings.quickTakeoverWith(
                StreamsFaultSettings.WORK_LEFT_UNCOMMITTED);
        List<PacketRecordFactory.Keyed> packets = CapturePackets.of(
                SharedPcaps.file("attacks/masscan-tcp-ports-0-1000.pcap"), CaptureAlerts.PAYLOAD_HEAD);
        long probed = packets.stream().map(PacketRecordFactory.Keyed::record)
                .filter(p -> SCANNER.equals(p.srcIp()) && p.tcpFlags() != null && p.tcpFlags() == PacketRecord.SYN)
                .map(PacketRecord::dstPort).distinct().count();
        long attempts = packets.stream().map(PacketRecordFactory.Keyed::record)
                .filter(p -> SCANNER.equals(p.srcIp()) && TARGET.equals(p.dstIp()) && p.tcpFlags() != null
                        && p.tcpFlags() == PacketRecord.SYN).count();
        long last = packets.get(packets.size() - 1).record().ts();
        int half = packets.size() / 2;

        ServiceProcess first = ServiceProcess.start(JAR, port, env, firstProps, log);
        first.awaitReady(Duration.ofSeconds(90));
        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(0, half));
        TopicReader.readUncommitted(bootstrap, DetectionTopology.OBSERVATIONS, r -> true, 100, Duration.ofSeconds(60));
        first.kill(); // mid-transaction: observations and state changes written, offsets not committed

        List<PacketRecordFactory.Keyed> rest = new ArrayList<>(packets.subList(half, packets.size()));
        rest.add(new PacketRecordFactory.Keyed("end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file",
                last)));
        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, rest);
        try (ServiceProcess second = ServiceProcess.start(JAR, port, env, props, log)) {
            second.awaitReady(Duration.ofSeconds(90));
            // all of it counted before event time jumps past the scan's window
            PacketTopicWriter.awaitCaughtUp(bootstrap, GROUP, Topics.PACKETS.name(), Duration.ofSeconds(90));
            PacketTopicWriter.awaitCaughtUp(bootstrap, GROUP, DetectionTopology.OBSERVATIONS.name(),
                    Duration.ofSeconds(60));
            PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, Packets.windowClosers(last + 120_000_000, 3));

            Alert scan = awaitFinal(bootstrap, "port_scan", "distinct", probed);
            assertEquals(SCANNER, scan.srcIp());
            assertEquals(TARGET, scan.dstIp());
            assertEquals(probed, ((Number) scan.evidence().get("distinct")).longValue(),
                    "every port masscan probed counted once, before and after the kill");
            // a count, unlike the distinct ports, shows packets processed twice (at_least_once gave 1083 and 1231)
            Alert flood = awaitFinal(bootstrap, "connection_flood", "count", attempts);
            assertEquals(attempts, ((Number) flood.evidence().get("count")).longValue(),
                    "every connection attempt counted once, before and after the kill");

            List<String> versions = TopicReader.read(bootstrap, Topics.ALERTS, r -> true, Integer.MAX_VALUE,
                    Duration.ofSeconds(3)).stream().map(r -> r.value().alertId() + "#" + r.value().count()).toList();
            assertEquals(versions.size(), versions.stream().distinct().count(),
                    "no version of an alert written twice: " + versions);
        }
    }

    /** The one alert of a rule, once its evidence figure has reached {@code expected} (or after 90 s). */
    private static Alert awaitFinal(String bootstrap, String rule, String figure, long expected) {
        Map<String, Alert> latest = new LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 90_000;
        long value = 0;
        while (value < expected && System.currentTimeMillis() < deadline) {
            latest.clear();
            TopicReader.read(bootstrap, Topics.ALERTS, r -> r.value().rule().equals(rule), 1, Duration.ofSeconds(3))
                    .forEach(r -> latest.put(r.value().alertId(), r.value()));
            value = latest.values().stream().mapToLong(a -> ((Number) a.evidence().get(figure)).longValue()).max()
                    .orElse(0);
        }
        assertEquals(1, latest.size(), "one " + rule + " alert across the kill: " + latest.values());
        return latest.values().iterator().next();
    }
}
