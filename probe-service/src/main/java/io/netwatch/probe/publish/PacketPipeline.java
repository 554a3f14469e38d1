package io.netwatch.probe.publish;

import io.netwatch.probe.capture.FrameSink;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.LongAdder;

/**
 * Decodes each frame, builds its packet record and sends it, keyed by flow, with the packet's capture time as the
 * Kafka timestamp (event time for the stream processors). One pipeline per capture or replay run, fed by one
 * thread; the counters are read from any thread.
 */
public final class PacketPipeline implements FrameSink {
    private static final Logger LOG = Logger.getLogger(PacketPipeline.class);

    private final Producer<String, PacketRecord> producer;
    private final String topic;
    private final String runId;
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();
    private final PacketRecordFactory factory;
    private final Callback onSent = new Callback() {
        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                published.increment();
            } else {
                publishErrors.increment();
                if (firstPublishError == null) {
                    firstPublishError = exception.toString();
                    LOG.errorf("publishing packet records failed: %s", exception);
                }
            }
        }
    };

    public final LongAdder packets = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder decodeErrors = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder publishErrors = new LongAdder();
    private volatile String firstPublishError;
    private long seq;
    /** Added to every timestamp: lets a looped replay keep event time moving forward. */
    private long tsOffsetNanos;

    public PacketPipeline(Producer<String, PacketRecord> producer, String runId, PacketRecordFactory factory) {
        this.producer = producer;
        this.topic = Topics.PACKETS.name();
        this.runId = runId;
        this.factory = factory;
    }

    public void setTimestampOffset(long nanos) {
        this.tsOffsetNanos = nanos;
    }

    @Override
    public void frame(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        long ts = tsNanos + tsOffsetNanos;
        decoder.decode(linkType, buf, off, capLen, wireLen, frame);
        packets.increment();
        bytes.add(wireLen);
        if (frame.error != null) {
            decodeErrors.increment();
        }
        PacketRecordFactory.Keyed k = factory.build(runId + ":" + (++seq), ts, frame, buf);
        try {
            producer.send(new ProducerRecord<>(topic, null, Math.max(0, ts / 1_000_000), k.key(), k.record()), onSent);
        } catch (RuntimeException e) {
            // A record the producer refuses (too large, serializer failure) is counted, never fatal to capture.
            publishErrors.increment();
            if (firstPublishError == null) {
                firstPublishError = e.toString();
                LOG.errorf("publishing a packet record failed: %s", e);
            }
        }
    }

    public String lastError() {
        return firstPublishError;
    }

    public void flush() {
        producer.flush();
    }
}
