package io.netwatch.records;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the public contract, with the serdes of its key and value, so nobody reads it with other types.
 *
 * @param partitions  partitions to create it with; 0 takes the deployment's default
 * @param retentionMs retention of a non-compacted topic; 0 takes the broker's default
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, int partitions,
                          long retentionMs) {
}
