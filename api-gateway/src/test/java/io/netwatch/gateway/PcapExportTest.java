package io.netwatch.gateway;

import io.netwatch.probe.CapturePackets;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.Tshark;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.records.Problem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.netwatch.gateway.GatewayPipelineTest.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A PCAP of a flow, an alert or a time range, fetched by the gateway from the probe that holds the raw frames:
 * what Wireshark opens must be exactly what tshark cuts from the original capture.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class PcapExportTest {
    private static final Duration SEEN = Duration.ofSeconds(20);

    @BeforeEach
    void replayOnce() throws Exception {
        Pipeline.replayBothCapturesOnce();
    }

    @Test
    void aFlowExportsAsExactlyTheFramesTsharkSelectsInTheCapture() throws Exception {
        Map<String, Object> flow = biggestTcpFlow();
        String id = (String) flow.get("flow_id");
        viewer().get("/api/export/pcap?flow_id=" + id).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("NETWATCH_PROBE_API_URL"));

        FrameRing ring = new FrameRing(64L << 20);
        CapturePackets.hold(SharedPcaps.file(Pipeline.WEB), "run-web", ring);
        try (StandInProbe probe = StandInProbe.serve(ring)) {
            announce(probe.url());
            Response r = viewer().get("/api/export/pcap?flow_id=" + id);
            r.then().statusCode(200).contentType("application/x-pcapng")
                    .header("Content-Disposition", containsString("netwatch-flow-"));
            Path exported = Files.createTempFile("flow", ".pcapng");
            Files.write(exported, r.asByteArray());
            String conversation = "ip.addr==" + flow.get("src_ip") + " && ip.addr==" + flow.get("dst_ip")
                    + " && tcp.port==" + flow.get("src_port") + " && tcp.port==" + flow.get("dst_port");
            String[] fields = {"frame.time_epoch", "frame.len", "frame.cap_len", "frame.protocols"};
            List<String> expected = Tshark.fields(SharedPcaps.file(Pipeline.WEB), conversation, fields);
            assertEquals(expected, Tshark.fields(exported, null, fields),
                    "the flow's frames, both directions, with their times, lengths and protocol stacks");
            assertEquals(packets(flow), expected.size(), "as many frames as the flow counted packets");

            Response limited = viewer().get("/api/export/pcap?probe=probe-a&max_packets=5");
            limited.then().statusCode(200);
            Path first5 = Files.createTempFile("first5", ".pcapng");
            Files.write(first5, limited.asByteArray());
            assertEquals(Tshark.fields(SharedPcaps.file(Pipeline.WEB), "frame.number <= 5", fields),
                    Tshark.fields(first5, null, fields), "a time range cut at max_packets: the first 5 frames");

            String scanAlert = viewer().get("/api/alerts?rule=port_scan").jsonPath().getString("items[0].alert_id");
            viewer().get("/api/export/pcap?alert_id=" + scanAlert).then().statusCode(404)
                    .contentType(Problem.MEDIA_TYPE).body("detail", containsString("held frames match"));
        }
        viewer().get("/api/export/pcap?flow_id=" + id).then().statusCode(502).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("refused the connection"));
        announce(null);
    }

    @Test
    void badRequestsAreRefusedBeforeAnyProbeIsAsked() {
        viewer().get("/api/export/pcap").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("exactly one of flow_id, alert_id or probe"));
        viewer().get("/api/export/pcap?flow_id=a&alert_id=b").then().statusCode(400);
        viewer().get("/api/export/pcap?probe=probe-a&from=yesterday").then().statusCode(400)
                .body("detail", containsString("from must be"));
        viewer().get("/api/export/pcap?probe=probe-a&peer=10.0.0.1").then().statusCode(400)
                .body("detail", containsString("peer needs ip"));
        viewer().get("/api/export/pcap?probe=probe-a&port=70000").then().statusCode(400);
        viewer().get("/api/export/pcap?probe=probe-a&max_packets=0").then().statusCode(400);
        viewer().get("/api/export/pcap?flow_id=no-such-flow").then().statusCode(404)
                .body("detail", containsString("no flow with id no-such-flow"));
        viewer().get("/api/export/pcap?probe=probe-zz").then().statusCode(404)
                .body("detail", containsString("has not reported"));
        io.restassured.RestAssured.get("/api/export/pcap?probe=probe-a").then().statusCode(401);
    }

    private static Map<String, Object> biggestTcpFlow() {
        // TLS: a flow of the web capture, not of the scan
        List<Map<String, Object>> flows = viewer().get("/api/flows?protocol=tcp&app=tls&size=1000").then()
                .statusCode(200)
                .extract().jsonPath().getList("items");
        return flows.stream().max(Comparator.comparingLong(PcapExportTest::packets)).orElseThrow();
    }

    private static long packets(Map<String, Object> f) {
        return ((Number) f.get("orig_pkts")).longValue() + ((Number) f.get("resp_pkts")).longValue();
    }

    private static void announce(String apiUrl) throws Exception {
        Pipeline.announceProbe(apiUrl);
        Pipeline.await("the gateway sees probe-a's api_url " + apiUrl, SEEN, () -> Objects.equals(apiUrl,
                viewer().get("/api/probes/probe-a").jsonPath().getString("api_url")));
    }
}
