package io.netwatch.flow;

import io.netwatch.records.PacketRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the record itself: a packet's capture time, a tally's window end. Topics keep append time as the
 * Kafka timestamp (so retention counts from arrival), hence the time must come from the value.
 */
public final class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object v = record.value();
        if (v instanceof PacketRecord p) {
            return Math.max(0, p.ts() / 1000);
        }
        if (v instanceof TrafficTally t) {
            return Math.max(0, t.windowEnd / 1000);
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
    }
}
