package io.netwatch.records;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the record itself (a packet's capture time, a flow's last packet, an alert's detection).
 * netwatch topics keep append time as the Kafka timestamp, so retention counts from arrival and an old capture
 * replayed today is not deleted at once; stream processors therefore take the time from the value.
 */
public final class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Timestamped t) {
            return Math.max(0, t.eventTimeUs() / 1000);
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
    }
}
