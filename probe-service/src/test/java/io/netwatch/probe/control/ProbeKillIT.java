package io.netwatch.probe.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netwatch.broker.LocalKafkaBroker;
import io.netwatch.broker.RestartableBroker;
import io.netwatch.broker.ServiceProcess;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged probe, killed with SIGKILL part way through a replay (packets in its encoders and in the
 * producer's buffer, no end-of-run marker) and started again with the same settings: it resumes the replay from
 * its journal, and the topic ends up with every packet exactly once, each flow's packets in order. Two encoder
 * threads, so the packets of one partition come through two lanes.
 */
class ProbeKillIT {
    private static final Path JAR = Path.of(System.getProperty("netwatch.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    /** 7,938 packets of 4,465 conversations, evenly over 46 s. */
    private static final String EVEN = "tcp-flags/two_way_all_flags.pcap";
    /** 37,841 packets of 37,669 conversations. */
    private static final String FLOOD = "attacks/synflood-spoofed-sources.pcap";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"packets", "batches"})
    void aKilledProbeResumesItsReplayAndSendsEveryPacketOnce(String format) throws Exception {
        long expected = Long.parseLong(SharedPcaps.reference().get(EVEN).get("packets"));
        // at 6x the replay takes about 8 s, and the kill strikes in the middle of it
        Resumed r = killAndResume(format, EVEN, "6", false, expected * 2 / 5, -1);
        assertTrue(r.atKill < expected * 3 / 4, "the kill struck in the middle of the replay: " + r.atKill);
        assertEquals(expected, r.status.path("packets").asLong(), "frames read by the resumed run");
        assertEquals(expected, r.status.path("published").asLong(), "published, before and after the kill");
        assertEquals(expected, r.seqs.size(), "every packet of the capture on the topic once (tshark's count)");
    }

    /**
     * As fast as it goes, in a loop: at the kill the producer and encoders hold thousands of packets, and the
     * partitions' lanes stop at different points of the capture. The replay is stopped through the API once well
     * past the kill; every packet read up to then is on the topic once, none skipped.
     */
    @Test
    void aProbeKilledAtFullSpeedResumesWithoutGapsOrDoubles() throws Exception {
        Resumed r = killAndResume("packets", FLOOD, "0", true, 50_000, 120_000);
        long read = r.status.path("packets").asLong();
        assertTrue(read >= 120_000, "replayed past the kill, over more than one pass: " + read);
        assertEquals(read, r.status.path("published").asLong(), "every packet read was published");
        assertEquals(read, r.seqs.size(), "every packet read is on the topic once");
    }

    /**
     * The broker stopped for 5 s a third of the way through a replay, and started again on its data and ports:
     * the probe keeps reading, its producer holds what it cannot send and retries, and every packet reaches the
     * topic once, in order per flow.
     */
    @Test
    void aBrokerRestartUnderAReplayLosesAndDoublesNoPacket() throws Exception {
        long expected = Long.parseLong(SharedPcaps.reference().get(EVEN).get("packets"));
        try (RestartableBroker broker = RestartableBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            int port = LocalKafkaBroker.freePort();
            ServiceProcess.Launcher probe = new ServiceProcess.Launcher(JAR, port, probeEnv(bootstrap, port,
                    "restart", "packets", EVEN, "2", false, Files.createTempDirectory("probe-restart-state")),
                    Files.createTempFile("probe-restart", ".log"));
            try (ServiceProcess running = probe.start(Map.of())) {
                JsonNode s = awaitStatus(port, n -> n.path("published").asLong() >= expected / 3,
                        Duration.ofSeconds(60));
                broker.restart(Duration.ofSeconds(5));
                assertTrue(running.isAlive(), "the probe outlives its broker's restart");
                String run = s.path("run_id").asText();
                JsonNode done = awaitStatus(port, n -> run.equals(n.path("run_id").asText())
                        && "idle".equals(n.path("state").asText()), Duration.ofSeconds(120));
                assertEquals(expected, done.path("packets").asLong(), "frames read (tshark's count)");
                assertEquals(expected, done.path("published").asLong(), "every packet acknowledged");
                assertEquals(expected, onTopicOnce(bootstrap, "packets", run, expected).size(),
                        "every packet on the topic once");
            }
        }
    }

    /**
     * A live capture started through the API, on the loopback interface with a filter, is running when the probe is
     * killed: the restarted probe captures again with the same interface, filter and snaplen, and what crosses the
     * interface afterwards reaches the topic. One stopped through the API is not taken up again.
     */
    @Test
    void aKilledProbeCapturesAgainWhatItWasAskedToCapture() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        int port = LocalKafkaBroker.freePort();
        Path log = Files.createTempFile("probe-live-kill", ".log");
        ServiceProcess.Launcher probe = new ServiceProcess.Launcher(JAR, port, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_PROBE_HTTP_PORT", String.valueOf(port),
                "NETWATCH_PROBE_ID", "live-kill",
                "NETWATCH_PROBE_STATE_DIR", Files.createTempDirectory("probe-live-state").toString(),
                "NETWATCH_PROBE_AUTOSTART", "none"), log);
        try (java.net.DatagramSocket receiver = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             java.net.DatagramSocket sender = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            int udpPort = receiver.getLocalPort();
            String filter = "udp and dst port " + udpPort;
            String firstRun;
            try (ServiceProcess first = probe.start(Map.of())) {
                JsonNode started = post(port, "/api/probe/capture", "{\"interface\":\"lo\",\"filter\":\""
                        + filter + "\",\"snaplen\":1500,\"promiscuous\":false}");
                assertEquals("capturing", started.path("state").asText(), started.toString());
                firstRun = started.path("run_id").asText();
                first.kill();
            }
            try (ServiceProcess second = probe.start(Map.of())) {
                JsonNode s = awaitStatus(port, n -> "capturing".equals(n.path("state").asText()),
                        Duration.ofSeconds(60));
                assertEquals("lo", s.path("source").asText());
                assertEquals(filter, s.path("filter").asText());
                assertEquals(1500, s.path("snaplen").asInt());
                assertEquals(false, s.path("promiscuous").asBoolean());
                String run = s.path("run_id").asText();
                assertTrue(!run.equals(firstRun), "a new run: " + run);
                Thread.sleep(300); // the handle is open; give the loop a moment before traffic starts
                for (int i = 0; i < 10; i++) {
                    byte[] msg = ("after-restart-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    sender.send(new java.net.DatagramPacket(msg, msg.length, receiver.getLocalSocketAddress()));
                }
                List<ConsumerRecord<String, PacketRecord>> seen = TopicReader.read(bootstrap, Topics.PACKETS,
                        r -> r.value().id().startsWith(run + ":") && !r.value().hasMarker(), 10,
                        Duration.ofSeconds(30));
                assertEquals(10, seen.size(), "every datagram sent after the restart, captured once");
                assertTrue(seen.stream().allMatch(r -> r.value().dstPort() == udpPort));
                post(port, "/api/probe/stop", "");
                second.kill();
            }
            try (ServiceProcess third = probe.start(Map.of())) {
                awaitStatus(port, n -> n.has("state"), Duration.ofSeconds(60));
                Thread.sleep(1000); // time for a capture to be taken up, were it going to be
                JsonNode s = awaitStatus(port, n -> n.has("state"), Duration.ofSeconds(10));
                assertEquals("idle", s.path("state").asText(), "a capture stopped by its operator stays stopped: " + s);
            }
        }
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains("resuming the live capture on lo")),
                "the log says the capture was taken up again");
    }

    private static JsonNode post(int port, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b = body.isEmpty() ? b.POST(HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private record Resumed(long atKill, JsonNode status, Set<Long> seqs) {
    }

    /**
     * Starts the probe on a replay, kills it once {@code killAt} packets are published, starts it again, and waits
     * until the resumed run ends (or, with {@code stopAt} &gt; 0, stops it once that many are published). Then
     * reads the run's packets from the topic: no sequence number twice, none missing up to the highest, each
     * flow's packets in order.
     */
    private static Resumed killAndResume(String format, String capture, String speed, boolean loop, long killAt,
                                         long stopAt) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Path log = Files.createTempFile("probe-kill", ".log");
        int port = LocalKafkaBroker.freePort();
        Map<String, String> env = probeEnv(bootstrap, port, "kill-" + format + "-" + speed, format, capture, speed,
                loop, Files.createTempDirectory("probe-kill-state"));

        ServiceProcess.Launcher probe = new ServiceProcess.Launcher(JAR, port, env, log);
        long atKill;
        String runId;
        try (ServiceProcess first = probe.start(Map.of())) {
            JsonNode s = awaitStatus(port, n -> n.path("published").asLong() >= killAt, Duration.ofSeconds(60));
            first.kill();
            runId = s.path("run_id").asText();
            atKill = s.path("published").asLong();
        }

        JsonNode done;
        try (ServiceProcess second = probe.start(Map.of())) {
            String run = runId;
            // the restarted probe goes on with the same run
            if (stopAt > 0) {
                awaitStatus(port, n -> run.equals(n.path("run_id").asText())
                        && n.path("published").asLong() >= stopAt, Duration.ofSeconds(90));
                post(port, "/api/probe/stop", "");
            }
            done = awaitStatus(port, n -> run.equals(n.path("run_id").asText())
                    && "idle".equals(n.path("state").asText()), Duration.ofSeconds(90));
        }
        String resumed = Files.readAllLines(log).stream().filter(l -> l.contains("resuming replay " + runId))
                .findFirst().orElseThrow(() -> new AssertionError("the log does not say the replay resumed"));
        System.out.println(resumed.substring(resumed.indexOf("resuming")));

        return new Resumed(atKill, done, onTopicOnce(bootstrap, format, runId, done.path("published").asLong()));
    }

    /** A replay by the packaged probe: two encoder threads, started at once, journal in {@code state}. */
    private static Map<String, String> probeEnv(String bootstrap, int port, String probeId, String format,
                                                String capture, String speed, boolean loop, Path state) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "NETWATCH_PROBE_HTTP_PORT", String.valueOf(port),
                "NETWATCH_PROBE_ID", probeId,
                "NETWATCH_PROBE_STATE_DIR", state.toString(),
                "NETWATCH_PROBE_PACKET_FORMAT", format,
                "NETWATCH_PROBE_ENCODER_THREADS", "2",
                "NETWATCH_PROBE_AUTOSTART", "replay",
                "NETWATCH_PROBE_REPLAY_FILE", SharedPcaps.file(capture).toAbsolutePath().toString(),
                "NETWATCH_PROBE_REPLAY_SPEED", speed,
                "NETWATCH_PROBE_REPLAY_LOOP", String.valueOf(loop));
    }

    /**
     * The run's packets on the topic: no sequence number twice, none missing up to the highest, each flow's
     * packets in order. Returns their sequence numbers.
     */
    private static Set<Long> onTopicOnce(String bootstrap, String format, String runId, long expected) {
        String prefix = runId + ":";
        Predicate<ConsumerRecord<String, PacketRecord>> ours = r -> r.value().id().startsWith(prefix)
                && !r.value().hasMarker();
        List<ConsumerRecord<String, PacketRecord>> records = "packets".equals(format)
                ? TopicReader.read(bootstrap, Topics.PACKETS, ours, (int) expected, Duration.ofSeconds(60))
                : TopicReader.readPackets(bootstrap, ours, (int) expected, Duration.ofSeconds(60));
        Set<Long> seqs = new HashSet<>();
        Map<String, Long> lastOfFlow = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        for (ConsumerRecord<String, PacketRecord> r : records) {
            long seq = Long.parseLong(r.value().id().substring(prefix.length()));
            seqs.add(seq);
            Long before = lastOfFlow.put(r.key(), seq);
            if (before != null && before > seq) {
                outOfOrder.add(r.key() + ": #" + seq + " after #" + before);
            }
        }
        assertEquals(records.size(), seqs.size(), "no packet twice");
        assertEquals(1L, seqs.stream().mapToLong(Long::longValue).min().orElse(0));
        assertEquals(records.size(), seqs.stream().mapToLong(Long::longValue).max().orElse(0), "none missing");
        assertEquals(List.of(), outOfOrder.subList(0, Math.min(10, outOfOrder.size())),
                "each flow's packets in the order of the capture");
        return seqs;
    }

    private static JsonNode awaitStatus(int port, Predicate<JsonNode> until, Duration timeout) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/probe/status");
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the probe's status never got there: " + last);
    }
}
