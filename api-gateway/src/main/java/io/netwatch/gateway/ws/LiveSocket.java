package io.netwatch.gateway.ws;

import io.netwatch.gateway.auth.AccessTokens;
import io.netwatch.gateway.live.LiveView;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code /ws/metrics}, {@code /ws/alerts}, {@code /ws/flows} and {@code /ws/packets}: JSON messages with a
 * {@code type}. A client may send a filter ({@link ClientFilter}) at any time. Reading needs a token as for GET
 * (header, or {@code ?access_token=}, since browsers cannot set headers on WebSockets).
 */
@WebSocket(path = "/ws/{stream}")
public class LiveSocket {
    static final short POLICY = 1008;
    static final short NO_SUCH_STREAM = 4404;

    @Inject
    LiveView live;

    @Inject
    AccessTokens tokens;

    @OnOpen
    public Uni<Void> open(WebSocketConnection c) {
        LiveChannel channel = live.channel(c.pathParam("stream"));
        if (channel == null) {
            return c.close(new CloseReason(NO_SUCH_STREAM, "no such stream; known: " + live.channelNames()));
        }
        AccessTokens.Access access = tokens.check(AccessTokens.token(c.handshakeRequest().header("Authorization"),
                queryParam(c.handshakeRequest().query(), "access_token")), false);
        if (!access.allowed()) {
            return c.close(new CloseReason(POLICY, access.reason()));
        }
        channel.join(c);
        live.welcome(channel, c);
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public void message(WebSocketConnection c, String message) {
        LiveChannel channel = live.channel(c.pathParam("stream"));
        if (channel != null) {
            channel.filter(c, message);
        }
    }

    @OnClose
    public void close(WebSocketConnection c) {
        LiveChannel channel = live.channel(c.pathParam("stream"));
        if (channel != null) {
            channel.leave(c);
        }
    }

    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
