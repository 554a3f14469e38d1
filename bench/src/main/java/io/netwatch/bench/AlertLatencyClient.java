package io.netwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dashboard-like WebSocket client of the gateway's {@code /ws/alerts}: notes when each alert first reaches it,
 * by alert id, with the alert's own event time (its first hit's packet timestamp).
 */
final class AlertLatencyClient implements WebSocket.Listener, AutoCloseable {
    /** An alert as it first arrived: its rule, source, event time (µs) and wall-clock arrival (ms). */
    record Arrival(String rule, String srcIp, long tsMicros, long arrivedAtMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile long messages;
    private volatile long badMessages;
    private WebSocket socket;

    static AlertLatencyClient connect(String gatewayUrl, String token) throws Exception {
        AlertLatencyClient c = new AlertLatencyClient();
        URI uri = URI.create(gatewayUrl.replaceFirst("^http", "ws") + "/ws/alerts?access_token=" + token);
        c.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, c).get();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        long now = System.currentTimeMillis();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            messages++;
            try {
                JsonNode m = JSON.readTree(text);
                JsonNode a = m.path("alert");
                if ("alert".equals(m.path("type").asText()) && a.hasNonNull("alert_id")) {
                    arrivals.putIfAbsent(a.get("alert_id").asText(), new Arrival(a.path("rule").asText(),
                            a.path("src_ip").asText(), a.path("ts").asLong(), now));
                }
            } catch (Exception e) {
                badMessages++;
            }
        }
        ws.request(1);
        return CompletableFuture.completedFuture(null);
    }

    Map<String, Arrival> arrivals() {
        return arrivals;
    }

    long messages() {
        return messages;
    }

    long badMessages() {
        return badMessages;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
        }
    }
}
