package io.netwatch.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose socket takes nothing (a stalled browser tab, a dead link) costs the stream nothing: its messages
 * are dropped for it alone, it is closed with 4008 after too many, and a reading client gets every message.
 */
class LiveChannelTest {

    /** The connection end the channel writes to: sends complete at once, or never when stalled, or when released. */
    static final class Peer {
        final String id;
        final boolean stalled;
        final List<String> received = new ArrayList<>();
        /** While true, sends are taken but complete only at {@link #release()}: a client that fell behind. */
        boolean holding;
        final List<io.smallrye.mutiny.subscription.UniEmitter<? super Void>> held = new ArrayList<>();
        CloseReason closed;

        Peer(String id, boolean stalled) {
            this.id = id;
            this.stalled = stalled;
        }

        void release() {
            holding = false;
            held.forEach(e -> e.complete(null));
            held.clear();
        }

        WebSocketConnection connection() {
            return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "id" -> id;
                        case "sendText" -> {
                            if (stalled) {
                                yield Uni.createFrom().emitter(e -> { }); // never completes: nothing is read
                            }
                            received.add((String) args[0]);
                            if (holding) {
                                yield Uni.createFrom().<Void>emitter(held::add);
                            }
                            yield Uni.createFrom().voidItem();
                        }
                        case "close" -> {
                            closed = (CloseReason) args[0];
                            yield Uni.createFrom().voidItem();
                        }
                        case "hashCode" -> id.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void aStalledClientIsDroppedThenClosedWhileAReadingClientGetsEverything() {
        LiveChannel channel = new LiveChannel("alerts", 4, 10, 0);
        Peer reader = new Peer("reader", false);
        Peer stalled = new Peer("stalled", true);
        channel.join(reader.connection());
        channel.join(stalled.connection());

        for (int i = 0; i < 4 + 9; i++) {
            channel.send(Map.of("n", i), f -> true);
        }
        assertEquals(13, reader.received.size(), "the reading client missed nothing");
        assertEquals(9, channel.dropped(), "4 messages wait for the stalled client, the next 9 are dropped for it");
        assertNull(stalled.closed, "not closed before 10 drops in a row");
        assertEquals(2, channel.clients());

        channel.send(Map.of("n", 13), f -> true);
        assertEquals(LiveChannel.TOO_SLOW, stalled.closed.getCode());
        assertEquals(1, channel.clients(), "the stalled client is gone");
        for (int i = 14; i < 100; i++) {
            channel.send(Map.of("n", i), f -> true);
        }
        assertEquals(100, reader.received.size());
        assertEquals(10, channel.dropped(), "nothing more is dropped once the stalled client is closed");
        assertTrue(reader.received.get(99).contains("99"));
    }

    @Test
    void aClientThatFellBehindIsToldHowManyMessagesItMissedBeforeTheNextOne() throws Exception {
        LiveChannel channel = new LiveChannel("alerts", 2, 100, 0);
        Peer slow = new Peer("slow", false);
        channel.join(slow.connection());
        slow.holding = true;
        for (int i = 0; i < 5; i++) {
            channel.send(Map.of("n", i), f -> true);
        }
        assertEquals(2, slow.received.size(), "two messages wait unsent");
        assertEquals(3, channel.dropped());
        slow.release();
        channel.send(Map.of("n", 5), f -> true);
        assertEquals(4, slow.received.size());
        com.fasterxml.jackson.databind.JsonNode notice = io.netwatch.records.JsonSerde.MAPPER.readTree(
                slow.received.get(2));
        assertEquals("dropped", notice.path("type").asText());
        assertEquals(3, notice.path("count").asInt(), "the notice says how many were missed");
        assertTrue(slow.received.get(3).contains("5"), "then the message itself");
        channel.send(Map.of("n", 6), f -> true);
        assertEquals(5, slow.received.size(), "no notice once nothing was missed");
    }

    @Test
    void aFasterStreamIsSampledPerClientAndRepliesAreNever() {
        LiveChannel packets = new LiveChannel("packets", 100, 100, 5);
        Peer reader = new Peer("reader", false);
        packets.join(reader.connection());
        for (int i = 0; i < 50; i++) {
            packets.send(Map.of("n", i), f -> true);
        }
        assertTrue(reader.received.size() >= 5 && reader.received.size() <= 10,
                "5 a second (the burst may straddle a second boundary): " + reader.received.size());
        int before = reader.received.size();
        packets.filter(reader.connection(), "{\"port\":99999}");
        assertEquals(before + 1, reader.received.size(), "the error reply is not sampled away");
        assertTrue(reader.received.get(before).contains("0 to 65535"));
    }
}
