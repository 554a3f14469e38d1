package io.netwatch.detection;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.netwatch.records.CompactSerde;
import io.netwatch.records.StateBytes;

import java.util.ArrayList;
import java.util.List;

/** One window of one rule for one entity: what it measured so far and when it hits next. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class WindowState {
    /** Distinct values counted per window; past this the count stops growing (reported as "at least"). */
    static final int MAX_DISTINCT = 65_536;
    /** The lowest values seen, kept as the alert's sample. */
    static final int SAMPLE = 10;

    static final CompactSerde<WindowState> SERDE = new CompactSerde<>(WindowState.class, WindowState::toBytes,
            WindowState::fromBytes);

    long start;
    long last;
    long value;
    long nextHitAt;
    /** The value the last hit reported; 0 before the first. */
    long hitValue;
    List<String> sample;
    String probeId;
    String srcIp;
    String dstIp;
    Integer port;

    byte[] toBytes() {
        StateBytes.Writer o = new StateBytes.Writer().writeByte(1).writeLong(start).writeLong(last).writeLong(value)
                .writeLong(nextHitAt).writeLong(hitValue).writeBoolean(sample != null);
        if (sample != null) {
            o.writeNames(sample);
        }
        return o.writeOptionalUTF(probeId).writeOptionalUTF(srcIp).writeOptionalUTF(dstIp).writeOptionalInt(port)
                .toByteArray();
    }

    static WindowState fromBytes(byte[] b) {
        StateBytes.Reader i = StateBytes.Reader.versioned(b, 1, "window state");
        WindowState s = new WindowState();
        s.start = i.readLong();
        s.last = i.readLong();
        s.value = i.readLong();
        s.nextHitAt = i.readLong();
        s.hitValue = i.readLong();
        s.sample = i.readBoolean() ? new ArrayList<>(i.readNames()) : null;
        s.probeId = i.readOptionalUTF();
        s.srcIp = i.readOptionalUTF();
        s.dstIp = i.readOptionalUTF();
        s.port = i.readOptionalInt();
        return s;
    }

    /** Key prefix of this window's distinct values in the distinct store. */
    static String valuesPrefix(String key, long start) {
        return key + "|" + start + "|";
    }

    static WindowState open(Observation o, long threshold, boolean distinct) {
        WindowState s = new WindowState();
        s.start = o.ts();
        s.last = o.ts();
        s.nextHitAt = threshold;
        s.sample = distinct ? new ArrayList<>() : null;
        s.probeId = o.probeId();
        s.srcIp = o.srcIp();
        s.dstIp = o.dstIp();
        s.port = o.port();
        return s;
    }
}
