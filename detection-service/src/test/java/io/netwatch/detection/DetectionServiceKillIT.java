package io.netwatch.detection;

import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.flow.StreamsFault;
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
 * The packaged detection-service through the faults a deployment meets in the middle of a scan: killed with
 * SIGKILL (no commit, no close, an open transaction left behind) and started again on the same state folder; the
 * broker stopped and started again under it. Either way the scan ends in one alert with every port counted once,
 * and no version of any alert is written twice.
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
        ServiceProcess.Launcher service = service(bootstrap);
        // the first instance's observations and state changes are in the open transaction when the kill strikes
        scanThrough(bootstrap, service.start(StreamsFaultSettings.TO_BE_KILLED), StreamsFault.kill(
                () -> TopicReader.readUncommitted(bootstrap, DetectionTopology.OBSERVATIONS, r -> true, 100,
                        Duration.ofSeconds(60)), service));
    }

    /**
     * Failed in 8 of 21 runs until three causes were found and fixed (docs/reliability.md): the test's writer lost
     * packets to the producer race a broker restart opens; the window evaluator closed windows on silence it could
     * not have seen (now on end-of-run markers, with InputWatch); and the flood figure depended on the order the
     * packet partitions arrive in (the flood window now holds the whole scan).
     */
    @Test
    void aBrokerRestartUnderTheDetectionServiceLosesAndDoublesNothing() throws Exception {
        scanThroughBrokerFault(false);
    }

    /** The same with the broker killed with SIGKILL: no controlled shutdown, its logs recovered at the start. */
    @Test
    void aBrokerKilledUnderTheDetectionServiceLosesAndDoublesNothing() throws Exception {
        scanThroughBrokerFault(true);
    }

    /** The scan through a broker of the test's own, stopped (or killed) once the service is at work. */
    private static void scanThroughBrokerFault(boolean kill) throws Exception {
        try (RestartableBroker broker = kill ? RestartableBroker.startProcess() : RestartableBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            scanThrough(bootstrap, service(bootstrap).start(StreamsFaultSettings.QUICK_TAKEOVER),
                    StreamsFault.brokerDown(broker, kill, () -> PacketTopicWriter.awaitConsumed(bootstrap, GROUP,
                            Topics.PACKETS.name(), 1, Duration.ofSeconds(60))));
        }
    }

    /**
     * Sends the first half of a masscan scan, lets the fault strike, sends the rest, and checks that the scan ends
     * in one alert with every port counted once, and that no version of any alert is written twice.
     */
    private static void scanThrough(String bootstrap, ServiceProcess first, StreamsFault fault) throws Exception {
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

        PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, packets.subList(0, half));
        List<PacketRecordFactory.Keyed> rest = new ArrayList<>(packets.subList(half, packets.size()));
        rest.add(new PacketRecordFactory.Keyed("end/run", PacketRecord.endOfRun("run", CapturePackets.PROBE, "file",
                last)));
        try (ServiceProcess after = fault.strike(first,
                () -> PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3, rest))) {
            // all of it counted before event time jumps past the scan's window
            PacketTopicWriter.awaitCaughtUp(bootstrap, GROUP, Topics.PACKETS.name(), Duration.ofSeconds(90));
            PacketTopicWriter.awaitCaughtUp(bootstrap, GROUP, DetectionTopology.OBSERVATIONS.name(),
                    Duration.ofSeconds(60));
            // what the service was given: every SYN of the scan on the packet topic once
            long sent = TopicReader.read(bootstrap, Topics.PACKETS, r -> r.value() != null
                    && SCANNER.equals(r.value().srcIp()) && TARGET.equals(r.value().dstIp())
                    && r.value().tcpFlags() != null && r.value().tcpFlags() == PacketRecord.SYN, Integer.MAX_VALUE,
                    Duration.ofSeconds(5)).size();
            assertEquals(attempts, sent, "connection attempts on the packet topic");
            // the first stage on its own: the packet inspector's committed observations of the flood
            long observed = TopicReader.read(bootstrap, DetectionTopology.OBSERVATIONS,
                    r -> "connection_flood".equals(r.value().rule())
                            && (SCANNER + ">" + TARGET).equals(r.value().entity()), (int) attempts,
                    Duration.ofSeconds(30)).size();
            assertEquals(attempts, observed, "connection attempts in the committed observations");
            PacketTopicWriter.send(bootstrap, Topics.PACKETS.name(), 3,
                    Packets.windowClosers(CapturePackets.PROBE, last + 120_000_000, 3));

            Alert scan = awaitFinal(bootstrap, "port_scan", "distinct", probed);
            assertEquals(SCANNER, scan.srcIp());
            assertEquals(TARGET, scan.dstIp());
            assertEquals(probed, ((Number) scan.evidence().get("distinct")).longValue(),
                    "every port masscan probed counted once, before and after the fault");
            // a count, unlike the distinct ports, shows packets processed twice (at_least_once gave 1083 and 1231)
            Alert flood = awaitFinal(bootstrap, "connection_flood", "count", attempts);
            assertEquals(attempts, ((Number) flood.evidence().get("count")).longValue(),
                    "every connection attempt counted once, before and after the fault");

            List<String> versions = TopicReader.read(bootstrap, Topics.ALERTS, r -> true, Integer.MAX_VALUE,
                    Duration.ofSeconds(3)).stream().map(r -> r.value().alertId() + "#" + r.value().count()).toList();
            assertEquals(versions.size(), versions.stream().distinct().count(),
                    "no version of an alert written twice: " + versions);
        }
    }

    /** The packaged service on a broker, with a state folder and log of its own that outlive its restarts. */
    private static ServiceProcess.Launcher service(String bootstrap) throws Exception {
        int port = LocalKafkaBroker.freePort();
        return new ServiceProcess.Launcher(JAR, port, Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_DETECTION_HTTP_PORT", String.valueOf(port),
                "NETWATCH_DETECTION_STATE_DIR", Files.createTempDirectory("detection-faults-state").toString(),
                // The scan's SYNs span 10.05 s, the flood rule's window 10 s: in a run without faults the window
                // holds 996 and the last 5 start one of their own. Where that split falls depends on which
                // packet partition's observations reach the evaluator first, which a fault changes. A window the
                // whole scan fits in makes one count of every attempt the figure to check.
                "JAVA_TOOL_OPTIONS", "-Dnetwatch.detection.rules.connection_flood.window=60s"),
                Files.createTempFile("detection-faults", ".log"));
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
