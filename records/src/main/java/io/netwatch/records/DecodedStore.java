package io.netwatch.records;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The states of one task's open flows: a state store, which is the truth (every change is written to it, so the
 * changelog and a restart see what they saw before), with the states seen last kept decoded. Most records belong
 * to a flow seen moments before, and reading and decoding its state again was a tenth of the stream thread's time
 * (a JSON read per flow update, from the update store). Bounded, so memory does not grow with the open flows.
 *
 * @param <S> what the store holds
 * @param <V> the decoded state
 */
public final class DecodedStore<S, V> {
    /**
     * States per task kept decoded, a few hundred bytes each: an instance runs a task per input partition it owns,
     * so this is multiplied by up to the partition count.
     */
    public static final int DECODED = 4_096;

    private final KeyValueStore<String, S> store;
    private final Function<S, V> decode;
    private final Function<V, S> encode;
    private final Map<String, V> decoded = new LinkedHashMap<>(DECODED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > DECODED;
        }
    };

    public DecodedStore(KeyValueStore<String, S> store, Function<S, V> decode, Function<V, S> encode) {
        this.store = store;
        this.decode = decode;
        this.encode = encode;
    }

    /** The state, or null; the caller writes any change back with {@link #put}. */
    public V get(String key) {
        V v = decoded.get(key);
        if (v == null) {
            S s = store.get(key);
            if (s == null) {
                return null;
            }
            v = decode.apply(s);
            decoded.put(key, v);
        }
        return v;
    }

    public void put(String key, V v) {
        store.put(key, encode.apply(v));
        decoded.put(key, v);
    }

    public void delete(String key) {
        // put(key, null) deletes without reading and decoding the old value, as delete() does to return it
        store.put(key, null);
        decoded.remove(key);
    }
}
