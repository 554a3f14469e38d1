package io.netwatch.detection;

import io.netwatch.detection.rules.TrafficSpikeRule;
import io.netwatch.detection.rules.WindowRules;
import io.netwatch.flow.StreamsMetricsSample;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.FlowSource;
import io.netwatch.records.InputWatch;
import io.netwatch.records.PacketRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.netwatch.detection.Packets.at;
import static io.netwatch.records.PacketRecord.ACK;
import static io.netwatch.records.PacketRecord.FIN;
import static io.netwatch.records.PacketRecord.PSH;
import static io.netwatch.records.PacketRecord.SYN;
import static io.netwatch.records.PacketRecord.URG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule fires on a crafted attack and stays quiet on the near miss beside it (TopologyTestDriver), read from
 * every packet record; {@link DetectionRulesFromFlowUpdatesTest} runs the same tests on what probes with flow
 * updates publish.
 */
class DetectionRulesTest {
    private static final String ATTACKER = "198.51.100.7";
    private static final String VICTIM = "10.1.0.5";
    private static final String CLIENT = "10.1.0.20";

    /** What connection attempts and volumes are read from. */
    FlowSource source() {
        return FlowSource.PACKETS;
    }

    /** The default settings, reading from {@link #source()}. */
    DetectionSettings defaults() {
        return DetectionSettings.defaults().withSource(source());
    }

    /** The alerts raised by what {@code feed} puts in, ended as a replay ends. */
    List<Alert> alerts(DetectionSettings settings, Consumer<DetectionDriver> feed) {
        try (DetectionDriver d = new DetectionDriver(settings.withSource(source()))) {
            feed.accept(d);
            d.packet("end/r", PacketRecord.endOfRun("r", Packets.PROBE, "eth0", at(100_000)));
            return d.alerts(Duration.ofMinutes(1));
        }
    }

    List<Alert> alerts(Consumer<DetectionDriver> feed) {
        return alerts(defaults(), feed);
    }

    private static void send(DetectionDriver d, PacketRecordFactory.Keyed k) {
        d.packet(k.key(), k.record());
    }

    private static void send(DetectionDriver d, List<PacketRecordFactory.Keyed> ks) {
        ks.forEach(k -> send(d, k));
    }

    private static List<Alert> of(List<Alert> alerts, String rule) {
        return alerts.stream().filter(a -> a.rule().equals(rule)).toList();
    }

    private static Alert one(List<Alert> alerts, String rule) {
        List<Alert> found = of(alerts, rule);
        assertEquals(1, found.size(), rule + " once among " + alerts);
        return found.get(0);
    }

    private static void none(List<Alert> alerts, String rule) {
        assertEquals(List.of(), of(alerts, rule), rule + " must stay quiet");
    }

    // --- probes ------------------------------------------------------------------------------------------------

    /** A vertical scan of 40 ports seen by {@code probe}, its SYNs 0.1 s apart from {@code t0}. */
    private static void scan(DetectionDriver d, String probe, long t0) {
        for (int port = 1; port <= 40; port++) {
            send(d, Packets.tcp(probe, t0 + port * 100_000L, ATTACKER, 61000, VICTIM, port, SYN));
        }
    }

    @Test
    void aReplayBesideALiveProbeKeepsItsOwnEventTime() {
        long live = at(0) + 365 * 86_400_000_000L;
        List<Alert> a = alerts(d -> {
            // a replay of last year's scan, each of its packets beside a live probe's traffic in the same
            // partitions: by the live clock the replay's windows would have ended a year ago
            for (int port = 1; port <= 40; port++) {
                send(d, Packets.tcp("probe-replay", at(port * 0.1), ATTACKER, 61000, VICTIM, port, SYN));
                send(d, Packets.tcp("probe-live", live + port * 100_000L, CLIENT, 50000, VICTIM, 443, ACK));
            }
            // each probe's later traffic moves its own clock past the window, which then reports its final count
            send(d, Packets.windowClosers("probe-live", live + 300_000_000L, 1));
            send(d, Packets.windowClosers("probe-replay", at(300), 1));
        });
        Alert scan = one(a, "port_scan");
        assertEquals("probe-replay", scan.probeId());
        assertEquals(40L, ((Number) scan.evidence().get("distinct")).longValue(),
                "every port of the replayed scan in one window, whatever the live probe's clock says");
    }

    @Test
    void twoProbesThatSeeTheSameScanEachReportIt() {
        List<Alert> a = alerts(d -> {
            scan(d, "probe-node-1", at(0));
            scan(d, "probe-node-2", at(0));
            send(d, Packets.windowClosers("probe-node-1", at(300), 1));
            send(d, Packets.windowClosers("probe-node-2", at(300), 1));
        });
        List<Alert> scans = of(a, "port_scan");
        assertEquals(List.of("probe-node-1", "probe-node-2"), scans.stream().map(Alert::probeId).sorted().toList(),
                "one alert per probe that saw the scan");
        for (Alert s : scans) {
            assertEquals(40L, ((Number) s.evidence().get("distinct")).longValue(), s.probeId() + "'s count");
        }
    }

    // --- scans -------------------------------------------------------------------------------------------------

    @Test
    void verticalScanFiresOnUnansweredSynsToManyPorts() {
        List<Alert> a = alerts(d -> {
            for (int port = 1; port <= 40; port++) {
                send(d, Packets.tcp(at(port * 0.1), ATTACKER, 61000, VICTIM, port, SYN));
            }
            // later traffic moves event time past the window, which then reports its final count
            send(d, Packets.handshake(at(300), CLIENT, 50000, VICTIM, 443));
        });
        Alert scan = one(a, "port_scan");
        assertEquals(ATTACKER, scan.srcIp());
        assertEquals(VICTIM, scan.dstIp());
        assertEquals(Alert.MEDIUM, scan.severity());
        assertEquals("T1046", scan.mitreTechnique());
        assertEquals(40L, ((Number) scan.evidence().get("distinct")).longValue(), "the window's final count, not the 30 of the last doubling");
        assertEquals(List.of("tcp/1", "tcp/2", "tcp/3", "tcp/4", "tcp/5", "tcp/6", "tcp/7", "tcp/8", "tcp/9",
                "tcp/10"), scan.evidence().get("sample"), "the lowest ports probed");
        assertTrue(scan.dstPorts().containsAll(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)) && scan.dstPorts().size() <= 20,
                "the ports sampled by its hits: " + scan.dstPorts());
    }

    @Test
    void aFinishedReplaysLastWindowReportsItsFinalCountAtItsEndOfRun() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            for (int port = 1; port <= 40; port++) {
                send(d, Packets.tcp(at(port * 0.1), ATTACKER, 61000, VICTIM, port, SYN));
            }
            // the replay ends (its pending handshakes fail at once) and nothing else comes: every packet partition
            // (one here) has passed the end on, so the window closes behind its last observation
            d.packet("end/r", PacketRecord.endOfRun("r", Packets.PROBE, "eth0", at(4)));
            Alert scan = one(d.alerts(Duration.ofSeconds(11)), "port_scan"); // the suppressor's flush
            assertEquals(40L, ((Number) scan.evidence().get("distinct")).longValue(),
                    "the window's final count, with no wall-clock quiet and no later traffic");
        }
    }

    @Test
    void aLiveProbeThatFallsSilentGetsItsLastWindowsFinalCountOnceThePartitionIsQuiet() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            for (int port = 1; port <= 40; port++) {
                send(d, Packets.tcp(at(port * 0.1), ATTACKER, 61000, VICTIM, port, SYN));
                send(d, Packets.tcp(at(port * 0.1 + 0.01), VICTIM, port, ATTACKER, 61000, PacketRecord.RST | ACK));
            }
            Alert before = one(d.alerts(Duration.ofSeconds(11)), "port_scan");
            assertEquals(30L, ((Number) before.evidence().get("distinct")).longValue(),
                    "while the window is open, the last doubling's figure");
            d.alerts(Duration.ofSeconds(80)); // quiet past the 60 s window and its grace: it closes
            Alert after = one(d.alerts(Duration.ofSeconds(11)), "port_scan"); // the suppressor's flush
            assertEquals(40L, ((Number) after.evidence().get("distinct")).longValue(),
                    "the window's final count, with no later traffic to move event time");
            assertEquals(before.alertId(), after.alertId(), "the same alert, updated");
        }
    }

    /**
     * A broker restart stops the observations for longer than the quiet flush. Counting that as quiet on the wire
     * closed the scan's window with its first ten ports and opened another for the rest (an alert for 30, not 40).
     */
    @Test
    void aBrokerAwayLongerThanTheQuietFlushSplitsNoWindow() {
        StreamsMetricsSample metrics = new StreamsMetricsSample();
        InputWatch input = new InputWatch(Duration.ofSeconds(7));
        input.watch(metrics::all);
        try (DetectionDriver d = new DetectionDriver(defaults(), input)) {
            for (int port = 1; port <= 40; port++) {
                if (port == 11) {
                    metrics.connections(0);
                    d.alerts(Duration.ofSeconds(90)); // longer than the quiet flush, the window and its grace
                    metrics.connections(1);
                    d.alerts(Duration.ofSeconds(1));
                }
                send(d, Packets.tcp(at(port * 0.1), ATTACKER, 61000, VICTIM, port, SYN));
                send(d, Packets.tcp(at(port * 0.1 + 0.01), VICTIM, port, ATTACKER, 61000, PacketRecord.RST | ACK));
            }
            for (int s = 0; s < 90; s++) {
                d.alerts(Duration.ofSeconds(1)); // quiet on the wire now, with the broker there: the window closes
            }
            Alert scan = one(d.alerts(Duration.ofSeconds(11)), "port_scan");
            assertEquals(40L, ((Number) scan.evidence().get("distinct")).longValue(),
                    "every port in the one window, before and after the outage");
        }
    }

    @Test
    void verticalScanStaysQuietBelowTheThresholdAndOnCompletedConnections() {
        none(alerts(d -> {
            for (int port = 1; port <= 14; port++) {
                send(d, Packets.tcp(at(port), ATTACKER, 61000, VICTIM, port, SYN));
            }
        }), "port_scan");
        // a client that really talks to 30 services of one host is not scanning it
        none(alerts(d -> {
            for (int port = 1; port <= 30; port++) {
                send(d, Packets.handshake(at(port), CLIENT, 50000 + port, VICTIM, 8000 + port));
            }
        }), "port_scan");
    }

    @Test
    void horizontalScanFiresOnOnePortAcrossManyHostsButNotOnBrowsing() {
        Alert h = one(alerts(d -> {
            for (int i = 1; i <= 30; i++) {
                send(d, Packets.tcp(at(i * 0.1), ATTACKER, 61000, "10.1.2." + i, 22, SYN));
            }
        }), "horizontal_scan");
        assertEquals(ATTACKER, h.srcIp());
        assertEquals(List.of(22), h.dstPorts());
        // a browser opening connections to 30 web servers completes its handshakes
        none(alerts(d -> {
            for (int i = 1; i <= 30; i++) {
                send(d, Packets.handshake(at(i * 0.1), CLIENT, 50000 + i, "203.0.113." + i, 443));
            }
        }), "horizontal_scan");
    }

    @Test
    void pingSweepFiresOnEchoToManyHostsButNotOnAFewPings() {
        assertEquals(Alert.LOW, one(alerts(d -> {
            for (int i = 1; i <= 20; i++) {
                send(d, Packets.echo(at(i * 0.1), ATTACKER, "10.1.3." + i));
            }
        }), "ping_sweep").severity());
        none(alerts(d -> {
            for (int i = 1; i <= 10; i++) {
                send(d, Packets.echo(at(i), CLIENT, "10.1.3." + i));
            }
        }), "ping_sweep");
    }

    @Test
    void flagAnomaliesFireOnStealthProbesButNotOnOrdinarySegments() {
        Alert x = one(alerts(d -> send(d, Packets.tcp(at(1), ATTACKER, 61000, VICTIM, 80, FIN | PSH | URG))),
                "tcp_flag_anomaly");
        assertEquals("Xmas", x.evidence().get("flags"));
        none(alerts(d -> {
            send(d, Packets.handshake(at(1), CLIENT, 50000, VICTIM, 80));
            send(d, Packets.tcp(at(2), CLIENT, 50000, VICTIM, 80, FIN | ACK));
            send(d, Packets.tcp(at(2), VICTIM, 80, CLIENT, 50000, FIN | ACK));
        }), "tcp_flag_anomaly");
    }

    // --- floods ------------------------------------------------------------------------------------------------

    @Test
    void synFloodFromSpoofedSourcesFiresAtTheTarget() {
        List<Alert> a = alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.tcp(at(i * 0.01), "203.0." + (i / 250) + "." + (i % 250 + 1), 1024 + i, VICTIM, 443,
                        SYN));
            }
        });
        Alert flood = one(a, "syn_flood");
        assertEquals(VICTIM, flood.dstIp());
        assertEquals(Alert.HIGH, flood.severity());
        assertEquals(List.of(443), flood.dstPorts());
        none(a, "syn_flood_source");
        none(a, "port_scan");
    }

    @Test
    void synFloodFromOneSourceIsNamedAtTheSource() {
        Alert flood = one(alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.tcp(at(i * 0.01), ATTACKER, 1024 + i, VICTIM, 80, SYN));
            }
        }), "syn_flood_source");
        assertEquals(ATTACKER, flood.srcIp());
    }

    @Test
    void completedHandshakesAreNoSynFloodButManyAreAConnectionFlood() {
        List<Alert> busy = alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.handshake(at(i * 0.01), CLIENT, 20000 + i, VICTIM, 443));
            }
        });
        none(busy, "syn_flood");
        none(busy, "syn_flood_source");
        none(busy, "connection_flood");
        List<Alert> flood = alerts(d -> {
            for (int i = 0; i < 250; i++) {
                send(d, Packets.handshake(at(i * 0.01), CLIENT, 20000 + i, VICTIM, 443));
            }
        });
        assertEquals(CLIENT, one(flood, "connection_flood").srcIp());
        none(flood, "syn_flood");
    }

    @Test
    void synAcksForNoSynAreReflectionButAnsweredSynsAreNot() {
        Alert r = one(alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.tcp(at(i * 0.01), "192.0.2." + (i % 200 + 1), 80, VICTIM, 2000 + i, SYN | ACK));
            }
        }), "syn_ack_reflection");
        assertEquals(VICTIM, r.dstIp());
        none(alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.handshake(at(i * 0.01), VICTIM, 2000 + i, "192.0.2." + (i % 200 + 1), 80));
            }
        }), "syn_ack_reflection");
    }

    @Test
    void unsolicitedAnswersFromAmplifierPortsAreAReflectionButAnsweredQueriesAreNot() {
        Alert r = one(alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.udp(at(i * 0.01), "192.0.2." + (i % 50 + 1), 123, VICTIM, 80));
            }
        }), "udp_reflection");
        assertEquals(VICTIM, r.dstIp());
        List<Alert> ntp = alerts(d -> {
            for (int i = 0; i < 150; i++) {
                send(d, Packets.udp(at(i * 0.01), CLIENT, 30000 + i, "192.0.2.1", 123));
                send(d, Packets.udp(at(i * 0.01 + 0.001), "192.0.2.1", 123, CLIENT, 30000 + i));
            }
        });
        none(ntp, "udp_reflection");
        none(ntp, "port_scan");
    }

    @Test
    void highPacketRateCountsPacketsPerSource() {
        DetectionSettings s = defaults().withRule(WindowRules.HIGH_PACKET_RATE, 1000,
                Duration.ofSeconds(10));
        Consumer<DetectionDriver> burst = d -> {
            for (int i = 0; i < 1200; i++) {
                send(d, Packets.udp(at(i * 0.005), CLIENT, 5000, VICTIM, 9999));
            }
        };
        assertEquals(CLIENT, one(alerts(s, burst), "high_packet_rate").srcIp());
        none(alerts(s, d -> {
            for (int i = 0; i < 800; i++) {
                send(d, Packets.udp(at(i * 0.005), CLIENT, 5000, VICTIM, 9999));
            }
        }), "high_packet_rate");
    }

    @Test
    void aQuietHostsSecondsStayOffTheObservationsButABusyHostsGoOut() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            for (int sec = 0; sec < 5; sec++) {
                for (int host = 1; host <= 50; host++) { // one packet a second each: under the volume floor
                    send(d, Packets.tcp(at(sec + host * 0.001), "10.1.9." + host, 40000, VICTIM, 443, ACK, 200));
                }
                for (int i = 0; i < 500; i++) { // 500 a second of 1,500 bytes: over every floor
                    send(d, Packets.tcp(at(sec + 0.1 + i * 0.001), CLIENT, 50000, "203.0.113.9", 443, ACK, 1500));
                }
            }
            d.packet("end/r", PacketRecord.endOfRun("r", Packets.PROBE, "eth0", at(7))); // the last sums go out
            List<Observation> volume = d.observations().stream()
                    .filter(o -> !o.entity().startsWith("probe:") && !o.isEndOfRun()
                            && List.of("high_packet_rate", "traffic_spike", "exfiltration").contains(o.rule()))
                    .toList();
            assertEquals(List.of(), volume.stream().filter(o -> o.entity().contains("10.1.9.")).toList(),
                    "no quiet host's second is sent");
            for (String rule : List.of("high_packet_rate", "traffic_spike", "exfiltration")) {
                assertTrue(volume.stream().filter(o -> o.rule().equals(rule) && o.amount() > 0).count() >= 4,
                        rule + ": the busy host's seconds are sent: " + volume);
            }
        }
    }

    // --- logins, cleartext, web --------------------------------------------------------------------------------

    @Test
    void bruteForceFiresOnManyShortLoginConnections() {
        List<FlowRecord> guesses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            guesses.add(Packets.flow(at(i * 10), ATTACKER, VICTIM, 22, 3, "RSTO"));
        }
        Alert b = one(alerts(d -> guesses.forEach(d::flow)), "brute_force");
        assertEquals(ATTACKER, b.srcIp());
        assertEquals(VICTIM, b.dstIp());
        assertEquals(List.of(22), b.dstPorts());
        assertEquals("T1110", b.mitreTechnique());
    }

    @Test
    void bruteForceStaysQuietOnSessionsAndOnAFewFailures() {
        none(alerts(d -> {
            for (int i = 0; i < 12; i++) {
                d.flow(Packets.flow(at(i * 10), CLIENT, VICTIM, 22, 600, "SF"));
            }
        }), "brute_force");
        none(alerts(d -> {
            for (int i = 0; i < 9; i++) {
                d.flow(Packets.flow(at(i * 10), CLIENT, VICTIM, 22, 3, "SF"));
            }
        }), "brute_force");
        none(alerts(d -> {
            for (int i = 0; i < 12; i++) {
                d.flow(Packets.flow(at(i * 10), CLIENT, VICTIM, 8080, 3, "SF"));
            }
        }), "brute_force");
    }

    @Test
    void cleartextLoginsFireAndEncryptedOnesDoNot() {
        byte[] snmpV2c = {0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 's', 'e', 'c', 'r', 'e', 't', (byte) 0xa0, 0x19};
        List<Alert> a = alerts(d -> {
            send(d, Packets.tcp(at(1), VICTIM, 23, CLIENT, 50000, SYN | ACK));
            send(d, Packets.tcpPayload(at(2), CLIENT, 50001, VICTIM, 21, "USER alice\r\n"));
            send(d, Packets.tcpPayload(at(3), CLIENT, 50001, VICTIM, 21, "PASS hunter2\r\n"));
            send(d, Packets.http(at(4), CLIENT, VICTIM, 80, "/admin", "curl/8", "Basic"));
            send(d, Packets.udpPayload(at(5), CLIENT, 40000, VICTIM, 161, snmpV2c));
        });
        assertEquals(CLIENT, one(a, "cleartext_telnet").srcIp());
        Alert ftp = one(a, "cleartext_ftp_login");
        assertEquals(2, ftp.count(), "USER and PASS fold into one alert");
        assertTrue(!ftp.evidence().toString().contains("hunter2"), "never the password: " + ftp.evidence());
        one(a, "cleartext_http_basic_auth");
        Alert snmp = one(a, "cleartext_snmp_community");
        assertEquals("s*****", snmp.evidence().get("community"));
        assertEquals("v2c", snmp.evidence().get("snmp_version"));

        byte[] snmpV3 = {0x30, 0x26, 0x02, 0x01, 0x03, 0x30, 0x0f};
        List<Alert> quiet = alerts(d -> {
            send(d, Packets.tcp(at(1), VICTIM, 22, CLIENT, 50000, SYN | ACK));
            send(d, Packets.tcpPayload(at(2), CLIENT, 50001, VICTIM, 21, "LIST\r\n"));
            send(d, Packets.http(at(4), CLIENT, VICTIM, 80, "/admin", "curl/8", "Bearer"));
            send(d, Packets.udpPayload(at(5), CLIENT, 40000, VICTIM, 161, snmpV3));
        });
        assertEquals(List.of(), quiet.stream().filter(x -> x.rule().startsWith("cleartext")).toList());
    }

    @Test
    void httpSignaturesFireOncePerRuleAfterDecoding() {
        List<Alert> a = alerts(d -> {
            send(d, Packets.http(at(1), ATTACKER, VICTIM, 80, "/item?id=1%27%20OR%20%271%27%3D%271", "x", null));
            send(d, Packets.http(at(2), ATTACKER, VICTIM, 80, "/q?s=%253Cscript%253Ealert(1)%253C/script%253E", "x",
                    null));
            send(d, Packets.http(at(3), ATTACKER, VICTIM, 80, "/f?page=../../../../etc/passwd", "x", null));
            send(d, Packets.http(at(4), ATTACKER, VICTIM, 80, "/ping?host=127.0.0.1;cat%20/etc/hosts", "x", null));
            send(d, Packets.http(at(5), ATTACKER, VICTIM, 80, "/", "() { :; }; /bin/bash -c id", null));
            send(d, Packets.http(at(6), ATTACKER, VICTIM, 80, "/", "Mozilla/5.00 (Nikto/2.1.6)", null));
        });
        assertEquals(1, one(a, "http_sql_injection").count());
        one(a, "http_xss");
        Alert traversal = one(a, "http_path_traversal");
        assertEquals(2, traversal.count(), "../etc/passwd and cat /etc/hosts both read system files");
        Alert cmd = one(a, "http_command_injection");
        assertEquals(2, cmd.count(), "the ;cat and the Shellshock user agent");
        one(a, "http_scanner");

        List<Alert> benign = alerts(d -> {
            send(d, Packets.http(at(1), CLIENT, VICTIM, 80, "/search?q=union+station+seats+select", "Mozilla/5.0",
                    null));
            send(d, Packets.http(at(2), CLIENT, VICTIM, 80, "/authors?name=O%27Brien", "Mozilla/5.0", null));
            send(d, Packets.http(at(3), CLIENT, VICTIM, 80, "/docs/../index.html", "Mozilla/5.0", null));
            send(d, Packets.http(at(4), CLIENT, VICTIM, 80, "/blog/scripting-tips-and-more", "Mozilla/5.0", null));
            send(d, Packets.http(at(5), CLIENT, VICTIM, 80, "/a?x=1&y=2", "Mozilla/5.0", null));
        });
        assertEquals(List.of(), benign.stream().filter(x -> x.rule().startsWith("http_")).toList());
    }

    // --- DNS ---------------------------------------------------------------------------------------------------

    @Test
    void dnsTunnelFiresOnManyUniqueSubdomainsButNotOnRepeatedNames() {
        List<Alert> a = alerts(d -> {
            for (int i = 0; i < 60; i++) {
                send(d, Packets.dns(at(i), CLIENT, "10.1.0.1", "x" + Integer.toHexString(i * 7919) + ".t.evil.example",
                        1));
            }
        });
        Alert t = one(a, "dns_tunnel");
        assertEquals("evil.example", t.evidence().get("domain"));
        assertEquals(CLIENT, t.srcIp());
        none(alerts(d -> {
            for (int i = 0; i < 60; i++) {
                send(d, Packets.dns(at(i), CLIENT, "10.1.0.1", "host" + (i % 5) + ".corp.example", 1));
            }
        }), "dns_tunnel");
    }

    @Test
    void txtVolumeAndQueryRateCountPerClient() {
        List<Alert> txt = alerts(d -> {
            for (int i = 0; i < 35; i++) {
                send(d, Packets.dns(at(i), CLIENT, "10.1.0.1", "t" + i + ".example.org", 16));
            }
        });
        one(txt, "dns_txt_volume");
        none(alerts(d -> {
            for (int i = 0; i < 35; i++) {
                send(d, Packets.dns(at(i), CLIENT, "10.1.0.1", "t" + i + ".example.org", 1));
            }
        }), "dns_txt_volume");
        one(alerts(d -> {
            for (int i = 0; i < 650; i++) {
                send(d, Packets.dns(at(i * 0.05), CLIENT, "10.1.0.1", "www.example.org", 1));
            }
        }), "dns_query_rate");
        none(alerts(d -> {
            for (int i = 0; i < 500; i++) {
                send(d, Packets.dns(at(i * 0.1), CLIENT, "10.1.0.1", "www.example.org", 1));
            }
        }), "dns_query_rate");
    }

    @Test
    void suspiciousNamesAreLongOrRandomLooking() {
        List<Alert> a = alerts(d -> send(d, Packets.dns(at(1), CLIENT, "10.1.0.1",
                "k3j9x2q8vz7m4w1p6t5r0yb8hcn2fd7gsl3e9a1u4iq6.t.example.com", 1)));
        assertEquals(Alert.LOW, one(a, "dns_suspicious_name").severity());
        none(alerts(d -> {
            send(d, Packets.dns(at(1), CLIENT, "10.1.0.1", "www.wikipedia.org", 1));
            send(d, Packets.dns(at(2), CLIENT, "10.1.0.1", "shield-normandy-elb-prod.us-west-2.elb.amazonaws.com", 1));
        }), "dns_suspicious_name");
    }

    // --- volume ------------------------------------------------------------------------------------------------

    @Test
    void exfiltrationCountsOutboundBytesToOneExternalAddress() {
        DetectionSettings s = defaults().withRule(WindowRules.EXFILTRATION, 1_000_000,
                Duration.ofMinutes(10));
        Alert x = one(alerts(s, d -> {
            for (int i = 0; i < 1000; i++) {
                send(d, Packets.tcp(at(i * 0.1), CLIENT, 50000, "203.0.113.9", 443, ACK, 1500));
            }
        }), "exfiltration");
        assertEquals(CLIENT, x.srcIp());
        assertEquals("203.0.113.9", x.dstIp());
        none(alerts(s, d -> {
            for (int i = 0; i < 1000; i++) {
                send(d, Packets.tcp(at(i * 0.1), CLIENT, 50000, "10.9.9.9", 445, ACK, 1500));
                send(d, Packets.tcp(at(i * 0.1), "203.0.113.9", 443, CLIENT, 50001, ACK, 1500));
            }
        }), "exfiltration");
    }

    @Test
    void trafficSpikeFiresAfterWarmUpOnly() {
        DetectionSettings s = defaults().withSpike(new TrafficSpikeRule(0.02, 6, 300, 1_000_000));
        Consumer<DetectionDriver> steadyThenBurst = d -> {
            for (int sec = 0; sec < 400; sec++) {
                send(d, Packets.tcp(at(sec), CLIENT, 50000, VICTIM, 443, ACK, 2000 + (sec % 7) * 100));
            }
            for (int i = 0; i < 1000; i++) {
                send(d, Packets.tcp(at(400 + i * 0.0005), CLIENT, 50000, VICTIM, 443, ACK, 1500));
            }
            send(d, Packets.tcp(at(402), CLIENT, 50000, VICTIM, 443, ACK, 100));
        };
        List<Alert> a = alerts(s, steadyThenBurst);
        assertTrue(of(a, "traffic_spike").size() >= 1, "the probe and the hosts spike: " + a);
        assertTrue(of(a, "traffic_spike").stream().anyMatch(x -> CLIENT.equals(x.srcIp())), "per host too");
        none(alerts(s, d -> {
            for (int sec = 0; sec < 100; sec++) {
                send(d, Packets.tcp(at(sec), CLIENT, 50000, VICTIM, 443, ACK, 2000));
            }
            for (int i = 0; i < 1000; i++) {
                send(d, Packets.tcp(at(100 + i * 0.0005), CLIENT, 50000, VICTIM, 443, ACK, 1500));
            }
            send(d, Packets.tcp(at(102), CLIENT, 50000, VICTIM, 443, ACK, 100));
        }), "traffic_spike");
    }

    // --- beaconing ---------------------------------------------------------------------------------------------

    @Test
    void regularConnectionsToOneDestinationAreBeaconing() {
        java.util.Random jitter = new java.util.Random(7);
        Alert b = one(alerts(d -> {
            for (int i = 0; i < 12; i++) {
                // every 60 s with up to 10 % jitter, as C2 frameworks add
                d.flow(Packets.flow(at(i * 60 + jitter.nextDouble() * 6), CLIENT, "203.0.113.50", 443, 1, "SF"));
            }
        }), "beaconing");
        assertEquals(CLIENT, b.srcIp());
        assertEquals("203.0.113.50", b.dstIp());
        assertEquals(List.of(443), b.dstPorts());
        double mean = ((Number) b.evidence().get("mean_interval_s")).doubleValue();
        assertTrue(mean > 55 && mean < 65, "about a minute: " + mean);
    }

    @Test
    void irregularOrTooFewConnectionsAreNotBeaconing() {
        java.util.Random human = new java.util.Random(11);
        none(alerts(d -> {
            double t = 0;
            for (int i = 0; i < 20; i++) {
                t += 5 + human.nextDouble() * 300; // a person reloading a page now and then
                d.flow(Packets.flow(at(t), CLIENT, "203.0.113.50", 443, 1, "SF"));
            }
        }), "beaconing");
        none(alerts(d -> {
            for (int i = 0; i < 9; i++) {
                d.flow(Packets.flow(at(i * 60), CLIENT, "203.0.113.50", 443, 1, "SF"));
            }
        }), "beaconing");
    }

    // --- ARP ---------------------------------------------------------------------------------------------------

    @Test
    void arpRulesFireOnConflictingClaimsAndSweeps() {
        List<Alert> a = alerts(d -> {
            send(d, Packets.arp(at(1), 2, "02:00:00:00:00:aa", "10.1.0.1", CLIENT));
            send(d, Packets.arp(at(2), 2, "02:00:00:00:00:bb", "10.1.0.1", CLIENT));
        });
        Alert spoof = one(a, "arp_spoofing");
        assertEquals("10.1.0.1", spoof.dstIp());
        assertEquals(Alert.HIGH, spoof.severity());
        assertEquals("02:00:00:00:00:bb", one(alerts(d -> {
            send(d, Packets.arp(at(1), 2, "02:00:00:00:00:bb", "10.1.0.1", CLIENT));
            send(d, Packets.arp(at(2), 1, "02:00:00:00:00:bb", "10.1.0.66", CLIENT));
        }), "arp_mac_many_ips").evidence().get("entity"));
        List<Alert> normal = alerts(d -> {
            for (int i = 0; i < 20; i++) {
                send(d, Packets.arp(at(i), 1, "02:00:00:00:00:aa", "10.1.0.1", "10.1.0." + (100 + i)));
                send(d, Packets.arp(at(i), 2, "02:00:00:00:01:" + (10 + i), "10.1.0." + (100 + i), "10.1.0.1"));
            }
        });
        assertEquals(List.of(), normal.stream().filter(x -> x.rule().startsWith("arp")).toList());
        one(alerts(d -> {
            for (int i = 1; i <= 50; i++) {
                send(d, Packets.arp(at(i * 0.01), 1, "02:00:00:00:00:cc", ATTACKER, "10.1.4." + i));
            }
        }), "arp_sweep");
    }

    // --- alerts ------------------------------------------------------------------------------------------------

    @Test
    void hitsWithinTheSuppressionWindowFoldIntoOneAlertAndLaterOnesOpenANewOne() {
        Consumer<DetectionDriver> twoEpisodes = d -> {
            send(d, Packets.tcp(at(1), ATTACKER, 61000, VICTIM, 80, FIN | PSH | URG));
            send(d, Packets.tcp(at(2), ATTACKER, 61000, VICTIM, 81, FIN | PSH | URG));
            send(d, Packets.tcp(at(3), ATTACKER, 61000, VICTIM, 82, FIN | PSH | URG));
            send(d, Packets.tcp(at(3600), ATTACKER, 61000, VICTIM, 80, FIN | PSH | URG));
        };
        List<Alert> a = of(alerts(twoEpisodes), "tcp_flag_anomaly");
        assertEquals(2, a.size(), "an hour apart: two alerts");
        assertEquals(3, a.get(0).count());
        assertEquals(List.of(80, 81, 82), a.get(0).dstPorts());
        assertEquals(at(1), a.get(0).ts());
        assertEquals(at(3), a.get(0).lastSeen());
        assertNotEquals(a.get(0).alertId(), a.get(1).alertId());
        List<Alert> again = of(alerts(twoEpisodes), "tcp_flag_anomaly");
        assertEquals(a.stream().map(Alert::alertId).toList(), again.stream().map(Alert::alertId).toList(),
                "reprocessing yields the same ids");
    }

    @Test
    void updatesArePublishedSparinglyNotPerHit() {
        try (DetectionDriver d = new DetectionDriver(defaults())) {
            for (int i = 0; i < 100; i++) {
                send(d, Packets.tcp(at(i * 0.1), ATTACKER, 61000, VICTIM, 1000 + i, FIN | PSH | URG));
            }
            List<Alert> latest = d.alerts(Duration.ofMinutes(1));
            assertEquals(100, one(latest, "tcp_flag_anomaly").count());
            long published = d.records.stream().filter(x -> x.rule().equals("tcp_flag_anomaly")).count();
            assertTrue(published <= 9, "1, 2, 4, ..., 64 and the flush: " + published + " records for 100 hits");
        }
    }
}
