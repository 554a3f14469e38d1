package io.netwatch.detection;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.CompactSerde;
import io.netwatch.records.StateBytes;

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

    static final CompactSerde<Attempt> SERDE = new CompactSerde<>(Attempt.class, Attempt::toBytes,
            Attempt::fromBytes);

    byte[] toBytes() {
        return new StateBytes.Writer().writeByte(1).writeUTF(transport).writeOptionalUTF(probeId).writeUTF(srcIp)
                .writeInt(srcPort).writeUTF(dstIp).writeInt(dstPort).writeLong(first).writeLong(last).writeByte(state)
                .toByteArray();
    }

    static Attempt fromBytes(byte[] b) {
        StateBytes.Reader i = StateBytes.Reader.versioned(b, 1, "attempt");
        return new Attempt(i.readUTF(), i.readOptionalUTF(), i.readUTF(), i.readInt(), i.readUTF(), i.readInt(),
                i.readLong(), i.readLong(), i.readByte());
    }

    Attempt with(int newState, long ts) {
        return new Attempt(transport, probeId, srcIp, srcPort, dstIp, dstPort, first, Math.max(last, ts), newState);
    }

    boolean fromInitiator(String ip, int port) {
        return srcIp.equals(ip) && srcPort == port;
    }
}
