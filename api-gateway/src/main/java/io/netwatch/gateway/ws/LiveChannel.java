package io.netwatch.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netwatch.records.JsonSerde;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The clients of one live stream. A send never waits for a client: each client may have {@code maxPending}
 * messages unsent, further ones are dropped for it alone, and a client that keeps dropping {@code maxDropped} in
 * a row is disconnected. A client that missed messages is told how many ({@code {"type":"dropped","count":N}})
 * before the next one it gets, so it can fetch what it missed over REST. A rate limit per client samples streams
 * that are faster than a browser can show; what sampling leaves out is not counted as dropped.
 */
public final class LiveChannel {
    private static final Logger LOG = Logger.getLogger(LiveChannel.class);
    public static final short TOO_SLOW = 4008;

    private final String name;
    private final int maxPending;
    private final int maxDropped;
    private final int perSecond;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param perSecond messages per second per client at most; 0 for no limit */
    public LiveChannel(String name, int maxPending, int maxDropped, int perSecond) {
        this.name = name;
        this.maxPending = maxPending;
        this.maxDropped = maxDropped;
        this.perSecond = perSecond;
    }

    public String name() {
        return name;
    }

    public void join(WebSocketConnection c) {
        clients.put(c.id(), new Client(c));
    }

    public void leave(WebSocketConnection c) {
        clients.remove(c.id());
    }

    public int clients() {
        return clients.size();
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Sets a client's filter from its message; a bad message gets an error message back and changes nothing. */
    public void filter(WebSocketConnection c, String message) {
        Client client = clients.get(c.id());
        if (client == null) {
            return;
        }
        try {
            client.filter = ClientFilter.parse(message);
            offer(client, Map.of("type", "filter", "filter", client.filter), false);
        } catch (IllegalArgumentException e) {
            offer(client, Map.of("type", "error", "error", e.getMessage()), false);
        }
    }

    /** One message for every client whose filter wants it, written as JSON once. */
    public void send(Object message, Predicate<ClientFilter> wants) {
        if (clients.isEmpty()) {
            return;
        }
        String json = json(message);
        for (Client client : clients.values()) {
            if (wants.test(client.filter)) {
                offer(client, json, true);
            }
        }
    }

    /** A message made for each client from its filter (a snapshot that differs per client). */
    public void sendEach(Function<ClientFilter, Object> messageFor) {
        for (Client client : clients.values()) {
            offer(client, json(messageFor.apply(client.filter)), true);
        }
    }

    /** Replies to the client itself (filter accepted, errors), never sampled away. */
    public void reply(WebSocketConnection c, Object message) {
        Client client = clients.get(c.id());
        if (client != null) {
            offer(client, message, false);
        }
    }

    private void offer(Client client, Object message, boolean sampled) {
        if (sampled && perSecond > 0 && !client.rate.take(perSecond)) {
            return;
        }
        if (client.pending.get() >= maxPending) {
            dropped.incrementAndGet();
            if (client.droppedInARow.incrementAndGet() >= maxDropped) {
                LOG.infof("/ws/%s: closing a client that read nothing for %d messages", name, maxDropped);
                clients.remove(client.connection.id());
                client.connection.close(new CloseReason(TOO_SLOW, "too slow: messages were dropped"))
                        .subscribe().with(v -> { }, e -> { });
            }
            return;
        }
        int missed = client.droppedInARow.getAndSet(0);
        if (missed > 0) {
            write(client, json(Map.of("type", "dropped", "count", missed)));
        }
        write(client, message instanceof String s ? s : json(message));
    }

    private void write(Client client, String text) {
        client.pending.incrementAndGet();
        client.connection.sendText(text).subscribe().with(
                v -> {
                    client.pending.decrementAndGet();
                    sent.incrementAndGet();
                },
                e -> client.pending.decrementAndGet());
    }

    private static String json(Object message) {
        try {
            return JsonSerde.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live message", e);
        }
    }

    private static final class Client {
        final WebSocketConnection connection;
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger droppedInARow = new AtomicInteger();
        final RateLimit rate = new RateLimit();
        volatile ClientFilter filter = ClientFilter.ALL;

        Client(WebSocketConnection connection) {
            this.connection = connection;
        }
    }

    /** A one-second window counter: simple, and enough to sample a tail for a person to read. */
    private static final class RateLimit {
        private long second;
        private int used;

        synchronized boolean take(int perSecond) {
            long now = System.currentTimeMillis() / 1000;
            if (now != second) {
                second = now;
                used = 0;
            }
            return ++used <= perSecond;
        }
    }
}
