package io.netwatch.probe.control;

import io.netwatch.broker.KafkaBrokerResource;
import io.netwatch.probe.SharedPcaps;
import io.netwatch.probe.Tshark;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replayed capture's held frames exported as PCAPNG, checked by what tshark reads from the export. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ProbePcapExportTest {
    private static final String WEB = "basic/web-tls-dns-1998pkts.pcap";
    private static final String[] FRAME = {"frame.time_epoch", "frame.len", "frame.cap_len", "frame.protocols"};

    private static Path export(String query) throws Exception {
        Response r = given().get("/api/probe/pcap?" + query);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("application/x-pcapng", r.contentType());
        Path out = Files.createTempFile("netwatch-export", ".pcapng");
        Files.write(out, r.asByteArray());
        return out;
    }

    @Test
    void aRunExportsEveryFrameAsCaptured() throws Exception {
        String runId = ProbeReplayTest.runIdOfReplay(WEB, 0);
        ProbeReplayTest.awaitIdle(runId);
        Path original = SharedPcaps.file(WEB);

        Path all = export("run_id=" + runId);
        // Same frames, same order, same times to the nanosecond, same lengths and dissection as the original file.
        assertEquals(Tshark.fields(original, null, FRAME), Tshark.fields(all, null, FRAME));

        // One TCP conversation, both directions: what tshark's own conversation filter selects in the original.
        String[] first = Tshark.fields(original, "tcp", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport").get(0)
                .split("\t");
        Path conversation = export("run_id=" + runId + "&ip=" + first[0] + "&port=" + first[1] + "&peer=" + first[2]
                + "&peer_port=" + first[3] + "&proto=6");
        List<String> expected = Tshark.fields(original, "ip.addr==" + first[0] + " && ip.addr==" + first[2]
                + " && tcp.port==" + first[1] + " && tcp.port==" + first[3], FRAME);
        assertTrue(expected.size() > 2, "a conversation of several frames: " + expected.size());
        assertEquals(expected, Tshark.fields(conversation, null, FRAME));

        // A time range: the first second of the capture.
        String start = Tshark.fields(original, null, "frame.time_epoch").get(0).trim();
        long fromMs = (long) (Double.parseDouble(start) * 1000);
        Path firstSecond = export("run_id=" + runId + "&from=" + fromMs + "&to=" + (fromMs + 1000));
        List<String> inRange = Tshark.fields(original, "frame.time_epoch < " + (fromMs + 1000) / 1000.0, FRAME);
        assertEquals(inRange, Tshark.fields(firstSecond, null, FRAME));

        given().get("/api/probe/frames").then().statusCode(200)
                .body("frames", org.hamcrest.Matchers.greaterThanOrEqualTo(1998))
                .body("budget_bytes", equalTo(67108864));
    }

    @Test
    void exportsThatSelectNothingOrAskWronglyAreProblems() {
        given().get("/api/probe/pcap?run_id=no-such-run").then().statusCode(404)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.matchesPattern(
                        "the probe holds no frames .*|none of the \\d+ held frames match; they cover .*"));
        given().get("/api/probe/pcap?ip=300.1.1.1").then().statusCode(400)
                .body("detail", containsString("ip must be an IPv4 or IPv6 address"));
        given().get("/api/probe/pcap?from=yesterday").then().statusCode(400)
                .body("detail", containsString("from must be an ISO-8601 instant"));
        given().get("/api/probe/pcap?peer=10.0.0.1").then().statusCode(400)
                .body("detail", containsString("peer needs ip"));
        given().get("/api/probe/pcap?max_packets=0").then().statusCode(400)
                .body("detail", containsString("max_packets"));
    }
}
