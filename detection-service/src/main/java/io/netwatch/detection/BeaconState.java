package io.netwatch.detection;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.netwatch.records.JsonSerde;

import java.util.Arrays;

/** The latest connection starts of one (source, destination, port), for the beaconing rule. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class BeaconState {
    static final JsonSerde<BeaconState> SERDE = new JsonSerde<>(BeaconState.class);

    /** Ascending, at most the rule's number of connections. */
    long[] starts = new long[0];
    String probeId;
    String srcIp;
    String dstIp;
    Integer port;

    /** Adds a start (flows end, and so arrive, out of order), keeping the latest {@code keep}; false if known. */
    boolean add(long ts, int keep) {
        if (Arrays.binarySearch(starts, ts) >= 0) {
            return false;
        }
        long[] more = Arrays.copyOf(starts, starts.length + 1);
        more[starts.length] = ts;
        Arrays.sort(more);
        starts = more.length > keep ? Arrays.copyOfRange(more, more.length - keep, more.length) : more;
        return true;
    }

    long last() {
        return starts.length == 0 ? Long.MIN_VALUE : starts[starts.length - 1];
    }
}
