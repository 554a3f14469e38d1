package io.netwatch.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.probe.frames.FrameSelector;
import io.netwatch.probe.frames.HeldFrame;
import io.netwatch.probe.frames.PcapngWriter;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.Problem;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The probe's PCAP endpoint on loopback, answering from a real {@link FrameRing} with the probe's own selector and
 * writer: a Quarkus probe cannot run in the gateway's test JVM beside the gateway, and the gateway only needs the
 * probe's HTTP answers.
 */
final class StandInProbe implements AutoCloseable {
    private final HttpServer server;

    private StandInProbe(HttpServer server) {
        this.server = server;
    }

    static StandInProbe serve(FrameRing ring) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/probe/pcap", exchange -> {
            try (exchange) {
                answer(ring, exchange);
            }
        });
        server.start();
        return new StandInProbe(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(FrameRing ring, HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        List<HeldFrame> frames;
        try {
            FrameSelector selector = FrameSelector.parse(q.get("run_id"), q.get("from"), q.get("to"), q.get("ip"),
                    integer(q.get("port")), q.get("peer"), integer(q.get("peer_port")), integer(q.get("proto")));
            frames = ring.select(selector, Integer.parseInt(q.getOrDefault("max_packets", "100000")));
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, "bad-request", e.getMessage());
            return;
        }
        if (frames.isEmpty()) {
            problem(exchange, 404, "no-frames", ring.whyNothingMatches());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", PcapngWriter.MEDIA_TYPE);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            PcapngWriter.write(frames, 262144, "netwatch stand-in probe", out);
        }
    }

    private static void problem(HttpExchange exchange, int status, String kind, String detail) throws IOException {
        byte[] body = JsonSerde.MAPPER.writeValueAsBytes(Problem.of(status, kind, detail));
        exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static Integer integer(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
