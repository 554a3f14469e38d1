package io.netwatch.records;

import java.util.function.Function;

/**
 * The serde of a record that never leaves its service (an internal topic, a state store): a compact binary form
 * ({@link StateBytes}, behind a format byte that is never {@code '{'}), where JSON cost more than the work done with
 * the record. What an earlier version wrote as JSON (a topic or changelog read after an upgrade) is still read.
 */
public final class CompactSerde<T> implements RecordSerde<T> {
    private final Function<T, byte[]> encode;
    private final Function<byte[], T> decode;
    private final JsonSerde<T> json;

    /** @param type what earlier versions wrote as JSON */
    public CompactSerde(Class<T> type, Function<T, byte[]> encode, Function<byte[], T> decode) {
        this.encode = encode;
        this.decode = decode;
        this.json = new JsonSerde<>(type);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode.apply(data);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return bytes.length > 0 && bytes[0] == '{' ? json.deserialize(topic, bytes) : decode.apply(bytes);
    }

}
