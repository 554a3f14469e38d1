package io.netwatch.detection;

import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Observations go to the partition of their key, as the producer puts them; a probe's end of run goes to every
 * partition, so every window evaluator task hears of it, in order after what the same packet partition sent before.
 */
final class ObservationPartitioner implements StreamPartitioner<String, Observation> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Observation value, int numPartitions) {
        if (value != null && value.isEndOfRun()) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
        }
        return Optional.empty();
    }
}
