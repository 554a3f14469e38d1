package io.netwatch.probe.control;

import io.netwatch.broker.KafkaBrokerResource;
import io.netwatch.broker.SharedKafkaBroker;
import io.netwatch.probe.TopicReader;
import io.netwatch.records.PacketRecord;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live capture through libpcap on the loopback interface: real UDP and TCP traffic between sockets of this test,
 * seen by the probe and published to the real broker. Needs root or CAP_NET_RAW, as CI has.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ProbeLiveCaptureTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void udpAndTcpOverLoopbackArriveOnThePacketsTopic() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            int udpPort = receiver.getLocalPort();
            int tcpPort = server.getLocalPort();
            String runId = given().contentType(ContentType.JSON)
                    .body(Map.of("interface", "lo", "filter", "udp port " + udpPort + " or tcp port " + tcpPort,
                            "snaplen", 1500, "promiscuous", false))
                    .post("/api/probe/capture")
                    .then().statusCode(200).body("state", equalTo("capturing")).body("source", equalTo("lo"))
                    .extract().path("run_id");
            Thread.sleep(300); // the handle is open; give the loop a moment before traffic starts

            for (int i = 0; i < 20; i++) {
                byte[] msg = ("netwatch-udp-" + i).getBytes(StandardCharsets.US_ASCII);
                sender.send(new DatagramPacket(msg, msg.length, LOOPBACK, udpPort));
                receiver.receive(new DatagramPacket(new byte[64], 64));
            }
            Thread accept = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                     OutputStream out = s.getOutputStream()) {
                    in.readNBytes(5);
                    out.write("world".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            accept.start();
            try (Socket client = new Socket(LOOPBACK, tcpPort)) {
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                client.getInputStream().readNBytes(5);
            }
            accept.join(5000);
            Thread.sleep(500);
            given().post("/api/probe/stop").then().statusCode(200).body("state", equalTo("idle"));

            List<ConsumerRecord<String, PacketRecord>> records = TopicReader.read(SharedKafkaBroker.bootstrapServers(),
                    io.netwatch.records.Topics.PACKETS, r -> r.value().id().startsWith(runId + ":"), 28,
                    Duration.ofSeconds(20));
            List<PacketRecord> udp = records.stream().map(ConsumerRecord::value)
                    .filter(p -> "udp".equals(p.transport())).toList();
            Set<String> payloads = udp.stream()
                    .map(p -> new String(Base64.getDecoder().decode(p.payloadHead()), StandardCharsets.US_ASCII))
                    .collect(Collectors.toSet());
            assertEquals(20, udp.size(), "each datagram once: " + payloads);
            assertEquals(20, payloads.size());
            assertTrue(udp.stream().allMatch(p -> p.dstPort() == udpPort && "127.0.0.1".equals(p.dstIp())
                    && "lo".equals(p.iface()) && "ether".equals(p.linkType())));

            List<PacketRecord> tcp = records.stream().map(ConsumerRecord::value)
                    .filter(p -> "tcp".equals(p.transport())).toList();
            assertTrue(tcp.stream().anyMatch(p -> p.tcpFlags() == PacketRecord.SYN && p.dstPort() == tcpPort),
                    "the client's SYN");
            assertTrue(tcp.stream().anyMatch(p -> p.tcpFlags() == (PacketRecord.SYN | PacketRecord.ACK)),
                    "the server's SYN-ACK");
            assertTrue(tcp.stream().anyMatch(p -> p.payloadLen() == 5 && "hello".equals(
                    new String(Base64.getDecoder().decode(p.payloadHead()), StandardCharsets.US_ASCII))));
            assertEquals(1, tcp.stream().map(p -> records.stream().filter(r -> r.value() == p).findFirst()
                    .orElseThrow().key()).distinct().count(), "one flow key for both directions");

            Map<String, Object> status = given().get("/api/probe/status").then().extract().as(Map.class);
            assertTrue(((Number) status.get("pcap_received")).longValue() >= 28, "libpcap's own count: " + status);
            assertEquals(0, ((Number) status.get("kernel_drops")).longValue());
        }
    }

    @Test
    void captureErrorsAreClear() {
        given().contentType(ContentType.JSON).body(Map.of("interface", "nosuchif0"))
                .post("/api/probe/capture")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no interface named 'nosuchif0'"))
                .body("detail", containsString("lo"));
        given().contentType(ContentType.JSON).body(Map.of("interface", "lo", "filter", "port 99999999"))
                .post("/api/probe/capture")
                .then().statusCode(400).body("detail", containsString("does not compile"));
        given().contentType(ContentType.JSON).body(Map.of("interface", "lo", "snaplen", 5))
                .post("/api/probe/capture")
                .then().statusCode(400).body("detail", containsString("snaplen"));
    }
}
