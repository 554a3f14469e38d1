package io.netwatch.records;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A serde for one record type that is its own serializer and deserializer, with nothing to configure or close. */
public interface RecordSerde<T> extends Serde<T>, Serializer<T>, Deserializer<T> {
    @Override
    default void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the type is fixed at construction
    }

    @Override
    default void close() {
        // holds no resources
    }

    @Override
    default Serializer<T> serializer() {
        return this;
    }

    @Override
    default Deserializer<T> deserializer() {
        return this;
    }
}
