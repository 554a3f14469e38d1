package io.netwatch.gateway;

import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.broker.SharedPostgres;
import io.netwatch.probe.TopicReader;
import io.netwatch.probe.PacketTopicWriter;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.ProbeCommand;
import io.netwatch.records.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway on real servers (Kafka, PostgreSQL, QuestDB for the InfluxDB protocol) behind the real flow and
 * detection topologies, fed with real captures: what the REST API, the WebSockets, the database rows and the
 * time-series points say must agree with each other and with the capture.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class GatewayPipelineTest {
    private static int expectedFlows;

    static RequestSpecification viewer() {
        return RestAssured.given().auth().oauth2("test-viewer");
    }

    static RequestSpecification operator() {
        return RestAssured.given().auth().oauth2("test-operator");
    }

    @BeforeEach
    void replayOnce() throws Exception {
        expectedFlows = Pipeline.replayBothCapturesOnce();
    }

    /** A server the gateway writes to, stopped while {@code whileDown} runs and started again. */
    interface Outage {
        void during(Runnable whileDown) throws Exception;
    }

    @Test
    void aDatabaseOutageIsReportedAsDegradedAndCaughtUpWithNothingLost() throws Exception {
        rideOut(SharedPostgres::outage, "postgres", "outage-test-alert", "telnet seen while the database was down",
                () -> viewer().get("/api/alerts/outage-test-alert").statusCode() == 200);
        assertEquals(3, viewer().get("/api/alerts/outage-test-alert").jsonPath().getInt("count"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aTimeSeriesOutageIsReportedAndCaughtUpWithNothingLost() throws Exception {
        rideOut(GatewayTestResource::questdbOutage, "influxdb", "influx-outage-test-alert",
                "FTP seen while the time-series server was down",
                () -> questdbCount("count()", "alerts where alert_id = 'influx-outage-test-alert'") == 1);
    }

    /**
     * An alert arrives while a sink's server is down: the sink says so in the readiness data, writes the alert once
     * the server is back, and is healthy again.
     */
    private static void rideOut(Outage outage, String feed, String alertId, String description,
                                java.util.function.BooleanSupplier written) throws Exception {
        long ts = 1_600_000_000_000_000L;
        Alert during = new Alert(alertId, "cleartext_protocol", "medium", ts, ts, 3, "probe-a", "10.9.9.9",
                "10.9.9.10", List.of(23), description, Map.of(), null);
        outage.during(() -> {
            Pipeline.publish(Topics.ALERTS, during.alertId(), during);
            try {
                Pipeline.await("the " + feed + " sink reports the outage in the readiness data",
                        Duration.ofSeconds(60), () -> feedsCheck().contains("\"" + feed + "\":\"degraded since"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Pipeline.await("the alert written once the server is back", Duration.ofSeconds(90), written);
        Pipeline.await("the " + feed + " sink healthy again", Duration.ofSeconds(30),
                () -> feedsCheck().contains("\"state\":\"ok\""));
    }

    /** The gateway's feed check of the readiness answer, whatever the other checks say (the database's is down). */
    private static String feedsCheck() {
        return RestAssured.get("/q/health/ready").jsonPath().getList("checks").stream()
                .filter(c -> "netwatch-gateway-feeds".equals(((Map<?, ?>) c).get("name"))).findFirst()
                .map(c -> String.valueOf(JsonSerde.MAPPER.valueToTree(c))).orElse("");
    }

    @Test
    void prometheusSeesWhatTheFeedsWrote() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        double written = metrics.lines().filter(l -> l.startsWith("netwatch_gateway_feed_records_total{feed=\"postgres\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(written >= expectedFlows, "the PostgreSQL sink's records, at least one per flow: " + written);
        assertTrue(metrics.contains("netwatch_gateway_feed_healthy{feed=\"postgres\"} 1.0"), "healthy");
        assertTrue(metrics.contains("http_server_requests_seconds_count"), "and the REST API's own timings");
    }

    @Test
    void readsNeedATokenAndChangesNeedAnOperator() {
        RestAssured.get("/api/flows").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("Bearer"));
        RestAssured.given().auth().oauth2("wrong").get("/api/flows").then().statusCode(401);
        String id = viewer().get("/api/alerts?rule=port_scan").jsonPath().getString("items[0].alert_id");
        viewer().contentType(ContentType.JSON).body("{}").post("/api/alerts/" + id + "/ack").then().statusCode(403)
                .body("detail", containsString("operator"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"iface\":\"lo\"}")
                .post("/api/probes/probe-a/capture").then().statusCode(401);
    }

    @Test
    void flowsAreStoredOnceEachAndFilterable() throws Exception {
        assertEquals(expectedFlows, viewer().get("/api/flows?size=1").jsonPath().getLong("total"),
                "one row per flow id the flow topology produced from the two captures");
        Response scan = viewer().get("/api/flows?ip=" + Pipeline.TARGET + "&size=1000");
        assertEquals(1001, scan.jsonPath().getLong("total"), "masscan probed 1,001 ports of one host: a flow each");
        List<Map<String, Object>> scanFlows = scan.jsonPath().getList("items");
        assertEquals(1000, scanFlows.size(), "a page holds 1,000 at most");
        assertTrue(scanFlows.stream().allMatch(f -> Pipeline.TARGET.equals(f.get("dst_ip"))));
        assertEquals(1, viewer().get("/api/flows?ip=" + Pipeline.TARGET + "&port=443").jsonPath()
                .getLong("total"));
        Response page1 = viewer().get("/api/flows?size=10&page=1");
        assertEquals(10, page1.jsonPath().getList("items").size());
        assertEquals(1, page1.jsonPath().getInt("page"));

        // Re-deliver every flow record: the rows stay as they are.
        List<FlowRecord> all = TopicReader.read(SharedKafkaBroker.bootstrapServers(), Topics.FLOWS, r -> true,
                expectedFlows, Duration.ofSeconds(5)).stream().map(r -> r.value()).toList();
        for (FlowRecord f : all.subList(0, 200)) {
            Pipeline.publish(Topics.FLOWS, f.flowId(), f);
        }
        awaitSinkCaughtUp(Topics.FLOWS.name());
        assertEquals(expectedFlows, viewer().get("/api/flows?size=1").jsonPath().getLong("total"));
    }

    @Test
    void theScanRaisesOneAlertThatCanBeAcknowledged() throws Exception {
        Response list = viewer().get("/api/alerts?rule=port_scan");
        assertEquals(1, list.jsonPath().getLong("total"), "one scan, one alert");
        Map<String, Object> alert = list.jsonPath().getMap("items[0]");
        assertEquals(Pipeline.SCANNER, alert.get("src_ip"));
        assertEquals(Pipeline.TARGET, alert.get("dst_ip"));
        String id = (String) alert.get("alert_id");

        operator().contentType(ContentType.JSON).body("{\"note\":\"authorised scan by the red team\"}")
                .post("/api/alerts/" + id + "/ack").then().statusCode(200)
                .body("acknowledged", equalTo(true)).body("ack.by", equalTo("olga"))
                .body("ack.note", equalTo("authorised scan by the red team"));
        assertFalse(viewer().get("/api/alerts?unacknowledged=true&rule=port_scan").jsonPath()
                .getList("items.alert_id").contains(id));

        // An older version of the alert delivered again changes neither its count nor its acknowledgement.
        long hits = ((Number) alert.get("count")).longValue();
        Alert old = JsonSerde.MAPPER.convertValue(alert, Alert.class);
        Pipeline.publish(Topics.ALERTS, id, new Alert(id, old.rule(), old.severity(), old.ts(), old.ts(), 1,
                old.probeId(), old.srcIp(), old.dstIp(), old.dstPorts(), old.description(), old.evidence(),
                old.mitreTechnique()));
        awaitSinkCaughtUp(Topics.ALERTS.name());
        viewer().get("/api/alerts/" + id).then().statusCode(200).body("count", equalTo((int) hits))
                .body("acknowledged", equalTo(true));

        operator().delete("/api/alerts/" + id + "/ack").then().statusCode(200).body("acknowledged", equalTo(false));
        assertTrue(viewer().get("/api/alerts?unacknowledged=true&rule=port_scan").jsonPath()
                .getList("items.alert_id").contains(id));
    }

    @Test
    void liveViewsShowTheTraffic() {
        viewer().get("/api/traffic/protocols").then().statusCode(200).body("tcp.packets",
                org.hamcrest.Matchers.greaterThan(0));
        assertFalse(viewer().get("/api/traffic/history?seconds=600").jsonPath().getList("$").isEmpty());
        List<Map<String, Object>> packets = viewer().get("/api/packets?limit=5").jsonPath().getList("$");
        assertEquals(5, packets.size());
        viewer().get("/api/packets/" + packets.get(0).get("id")).then().statusCode(200)
                .body("id", equalTo(packets.get(0).get("id")));
        viewer().get("/api/packets?ip=" + Pipeline.SCANNER + "&limit=50").then().statusCode(200)
                .body("src_ip", org.hamcrest.Matchers.everyItem(equalTo(Pipeline.SCANNER)));
        viewer().get("/api/summary").then().statusCode(200).body("probes", equalTo(1));
        viewer().get("/api/probes").then().statusCode(200).body("probe_id", org.hamcrest.Matchers.hasItem("probe-a"));
        viewer().get("/api/suspicious").then().statusCode(200).body("ip", org.hamcrest.Matchers.hasItem(Pipeline.SCANNER));
    }

    @Test
    void timeSeriesPointsMatchTheFlowsAndAlerts() throws Exception {
        int finals = viewer().get("/api/flows?size=1").jsonPath().getInt("total");
        // InfluxDB overwrites a point written again (same series and time); QuestDB appends it, so count ids.
        Pipeline.await("a point per flow in the time-series server", Duration.ofSeconds(60),
                () -> questdbCount("count_distinct(flow_id)", "flows") == finals);
        assertEquals(1, questdbCount("count_distinct(alert_id)", "alerts where rule = 'port_scan'"));
        assertTrue(questdbCount("count()", "traffic") > 0, "traffic points");
        assertTrue(questdbCount("count()", "protocols where protocol = 'tcp'") > 0, "protocol mix points");
    }

    @Test
    void exportsStreamEveryMatchingRow() {
        String csv = viewer().get("/api/flows/export?format=csv&ip=" + Pipeline.TARGET + "&limit=5000")
                .then().statusCode(200).extract().asString();
        String[] lines = csv.split("\r\n");
        assertTrue(lines[0].startsWith("flow_id,probe_id,first_seen"));
        assertEquals(1001 + 1, lines.length, "a header and one line per flow");
        String json = viewer().get("/api/alerts/export?format=json&rule=port_scan").then().statusCode(200)
                .extract().asString();
        assertEquals(1, json.strip().split("\n").length);
        assertTrue(json.contains("\"rule\":\"port_scan\""));
    }

    @Test
    void badRequestsGetProblemAnswers() {
        viewer().get("/api/flows?ip=not-an-ip").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("ip must be"));
        viewer().get("/api/alerts?severity=extreme").then().statusCode(400).body("detail", containsString("severity"));
        viewer().get("/api/flows?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").then().statusCode(400);
        viewer().get("/api/flows?size=100000").then().statusCode(400);
        viewer().get("/api/flows/export?format=xml").then().statusCode(400);
        viewer().get("/api/alerts/no-such-alert").then().statusCode(404);
        viewer().get("/api/packets/no-such-packet").then().statusCode(404);
        viewer().get("/api/probes/nope").then().statusCode(404).body("detail", containsString("probe-a"));
        operator().contentType(ContentType.JSON).body("{\"iface\":").post("/api/probes/probe-a/capture").then()
                .statusCode(400).contentType("application/problem+json");
        operator().contentType(ContentType.JSON).body("{}").post("/api/probes/probe-a/capture").then()
                .statusCode(400).body("detail", containsString("iface"));
        operator().contentType(ContentType.JSON).body("{\"upload_id\":\"../../etc/passwd\"}")
                .post("/api/probes/probe-a/replay").then().statusCode(400);
        operator().contentType("application/octet-stream").body("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/uploads").then().statusCode(415).body("detail", containsString("not a PCAP"));
        viewer().get("/api/no-such-endpoint").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anUploadedCaptureIsReplayedThroughAProbeCommand() throws Exception {
        byte[] capture = java.nio.file.Files.readAllBytes(io.netwatch.probe.SharedPcaps.file(Pipeline.SCAN));
        String upload = operator().contentType("application/octet-stream").body(capture)
                .post("/api/uploads?name=scan.pcap").then().statusCode(201).body("format", equalTo("pcap"))
                .body("bytes", equalTo(capture.length)).extract().path("upload_id");
        operator().contentType(ContentType.JSON).body("{\"upload_id\":\"" + upload + "\",\"speed\":0}")
                .post("/api/probes/nope/replay").then().statusCode(404);
        String commandId = operator().contentType(ContentType.JSON)
                .body("{\"upload_id\":\"" + upload + "\",\"speed\":2.5,\"loop\":false}")
                .post("/api/probes/probe-a/replay").then().statusCode(202)
                .body("action", equalTo("start_replay")).body("issued_by", equalTo("olga")).extract()
                .path("command_id");
        ProbeCommand sent = TopicReader.read(SharedKafkaBroker.bootstrapServers(), Topics.PROBE_COMMANDS,
                r -> commandId.equals(r.value().commandId()), 1, Duration.ofSeconds(10)).get(0).value();
        assertEquals("probe-a", sent.probeId());
        assertEquals(2.5, sent.speed());
        assertTrue(java.nio.file.Files.size(java.nio.file.Path.of(sent.path())) == capture.length,
                "the probe is told the path of the stored upload");
    }

    @Test
    void theAlertSocketFiltersAndPushesNewAlerts() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = socket("/ws/alerts?access_token=test-viewer", messages, closed);
        ws.sendText("{not json", true);
        assertTrue(messages.poll(10, TimeUnit.SECONDS).contains("\"type\":\"error\""));
        ws.sendText("{\"min_severity\":\"sometimes\"}", true);
        assertTrue(messages.poll(10, TimeUnit.SECONDS).contains("min_severity must be one of"));
        ws.sendText("{\"ip\":\"203.0.113.9\"}", true);
        assertTrue(messages.poll(10, TimeUnit.SECONDS).contains("\"type\":\"filter\""));

        Pipeline.publish(Topics.ALERTS, "other", Alert.hit("port_scan", Alert.HIGH, "T1046", 1, "probe-a",
                "198.51.100.1", "198.51.100.2", List.of(22), "filtered out", Map.of()));
        Alert wanted = new Alert("ws-test-alert", "ssh_brute_force", Alert.HIGH, 1_000_000, 2_000_000, 12, "probe-a",
                "203.0.113.9", "192.0.2.10", List.of(22), "12 short SSH logins", Map.of("logins", 12), "T1110");
        Pipeline.publish(Topics.ALERTS, wanted.alertId(), wanted);
        String pushed = messages.poll(20, TimeUnit.SECONDS);
        assertNotNull(pushed, "the new alert is pushed");
        assertTrue(pushed.contains("\"alert_id\":\"ws-test-alert\""), pushed);
        assertTrue(messages.isEmpty(), "the alert the filter excludes is not sent: " + messages);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");

        CompletableFuture<Integer> refused = new CompletableFuture<>();
        socket("/ws/alerts", new LinkedBlockingQueue<>(), refused);
        assertEquals(1008, refused.get(10, TimeUnit.SECONDS), "no token, no live view");
        CompletableFuture<Integer> unknown = new CompletableFuture<>();
        socket("/ws/everything?access_token=test-viewer", new LinkedBlockingQueue<>(), unknown);
        assertEquals(4404, unknown.get(10, TimeUnit.SECONDS));
    }

    @Test
    void apiIsDescribed() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/alerts/{id}/ack"));
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'netwatch-gateway-feeds' }.data.state", equalTo("ok"));
    }

    private static WebSocket socket(String path, LinkedBlockingQueue<String> messages, CompletableFuture<Integer> closed)
            throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + RestAssured.port + path), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the PostgreSQL sink has committed everything now in the topic. */
    private static void awaitSinkCaughtUp(String topic) throws Exception {
        long end;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers",
                SharedKafkaBroker.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                req.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            end = admin.listOffsets(req).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
        PacketTopicWriter.awaitConsumed(SharedKafkaBroker.bootstrapServers(), GatewayService.SINK_GROUP, topic, end,
                Duration.ofSeconds(30));
    }

    static long questdbCount(String aggregate, String tableAndWhere) {
        try {
            String q = java.net.URLEncoder.encode("select " + aggregate + " from " + tableAndWhere,
                    StandardCharsets.UTF_8);
            var res = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + GatewayTestResource.questdb().getHttpServerPort() + "/exec?query=" + q))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                return -1; // the table does not exist yet
            }
            return JsonSerde.MAPPER.readTree(res.body()).path("dataset").path(0).path(0).asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
