package io.netwatch.detection;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.JsonSerde;

/**
 * A connection attempt whose outcome is not known yet: a TCP SYN waiting for its handshake to complete, or a UDP
 * conversation waiting for (or having had) an answer. Kept per flow key in the attempt store.
 *
 * @param state {@link #SENT}, {@link #SYN_ACKED} (TCP) or {@link #ANSWERED} (UDP)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Attempt(String transport, String probeId, String srcIp, int srcPort, String dstIp, int dstPort, long first,
               long last, int state) {
    static final int SENT = 0;
    static final int SYN_ACKED = 1;
    static final int ANSWERED = 2;

    static final JsonSerde<Attempt> SERDE = new JsonSerde<>(Attempt.class);

    Attempt with(int newState, long ts) {
        return new Attempt(transport, probeId, srcIp, srcPort, dstIp, dstPort, first, Math.max(last, ts), newState);
    }

    boolean fromInitiator(String ip, int port) {
        return srcIp.equals(ip) && srcPort == port;
    }
}
