package io.netwatch.flow;

import io.netwatch.records.FlowState;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states of one task's open flows: the flow store, which is the truth (every change is written to it, so the
 * changelog and a restart see what they saw before), with the states of the flows seen last kept decoded. Most
 * packets belong to a flow seen moments before, and reading and decoding its state again was a tenth of the stream
 * thread's time. Bounded, so memory does not grow with the number of open flows.
 */
final class FlowTable {
    /**
     * Flows per task whose state is kept decoded, a few hundred bytes each: an instance runs a task per input
     * partition it owns, so this is multiplied by up to the partition count.
     */
    static final int DECODED = 4_096;

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, FlowState> decoded = new LinkedHashMap<>(DECODED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FlowState> eldest) {
            return size() > DECODED;
        }
    };

    FlowTable(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The flow's state, or null; the caller writes any change back with {@link #put}. */
    FlowState get(String key) {
        FlowState s = decoded.get(key);
        if (s == null) {
            byte[] b = store.get(key);
            if (b == null) {
                return null;
            }
            s = FlowState.fromBytes(b);
            decoded.put(key, s);
        }
        return s;
    }

    void put(String key, FlowState s) {
        store.put(key, s.toBytes());
        decoded.put(key, s);
    }

    void delete(String key) {
        store.delete(key);
        decoded.remove(key);
    }
}
