package io.netwatch.probe.publish;

import io.netwatch.probe.capture.FrameSink;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.probe.frames.HeldFrame;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decodes each frame, builds its packet record and sends it, keyed by flow, with the packet's capture time as the
 * Kafka timestamp (event time for the stream processors).
 *
 * <p>The feeding thread decodes and builds records; JSON encoding and the producer's send run on encoder threads,
 * since one thread cannot do all of it at packet rates. Records go to an encoder chosen by their key, so the
 * packets of one flow keep their order. They are handed over in small batches; a feeder about to wait for traffic
 * calls {@link #handOff()} so nothing lingers in a partial batch.
 */
public final class PacketPipeline implements FrameSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PacketPipeline.class);
    private static final int BATCH = 128;

    private final Producer<String, PacketRecord> producer;
    private final String topic;
    private final String runId;
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedFrame frame = new DecodedFrame();
    private final PacketRecordFactory factory;
    private final Encoder[] encoders;
    private final Callback onSent = this::sent;
    private final FrameRing ring;

    public final LongAdder packets = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder decodeErrors = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder publishErrors = new LongAdder();
    private final AtomicLong handedToProducer = new AtomicLong();
    private long submitted;
    private volatile String firstPublishError;
    private long seq;
    /** Added to every timestamp: lets a looped replay keep event time moving forward. */
    private long tsOffsetNanos;
    private long lastTs;

    public PacketPipeline(Producer<String, PacketRecord> producer, String runId, PacketRecordFactory factory,
                          int encoderThreads) {
        this(producer, runId, factory, encoderThreads, new FrameRing(0));
    }

    /** @param ring where raw frames are kept for PCAP export */
    public PacketPipeline(Producer<String, PacketRecord> producer, String runId, PacketRecordFactory factory,
                          int encoderThreads, FrameRing ring) {
        this.ring = ring;
        this.producer = producer;
        this.topic = Topics.PACKETS.name();
        this.runId = runId;
        this.factory = factory;
        this.encoders = new Encoder[Math.max(1, encoderThreads)];
        for (int i = 0; i < encoders.length; i++) {
            encoders[i] = new Encoder("encode-" + i + "-" + runId);
        }
    }

    public void setTimestampOffset(long nanos) {
        this.tsOffsetNanos = nanos;
    }

    @Override
    public void frame(long tsNanos, int linkType, byte[] buf, int off, int capLen, int wireLen) {
        long ts = tsNanos + tsOffsetNanos;
        if (ts > lastTs) {
            lastTs = ts;
        }
        decoder.decode(linkType, buf, off, capLen, wireLen, frame);
        packets.increment();
        bytes.add(wireLen);
        if (frame.error != null) {
            decodeErrors.increment();
        }
        PacketRecordFactory.Keyed k = factory.build(runId + ":" + (++seq), ts, frame, buf);
        if (ring.enabled()) {
            ring.add(HeldFrame.of(runId, ts, linkType, buf, off, capLen, wireLen, k.record()));
        }
        ProducerRecord<String, PacketRecord> r =
                new ProducerRecord<>(topic, null, Math.max(0, ts / 1_000_000), k.key(), k.record());
        submitted++;
        encoders[(k.key().hashCode() & 0x7fffffff) % encoders.length].add(r);
    }

    /** Hands partial batches to the encoders: call before waiting for more frames. */
    public void handOff() {
        for (Encoder e : encoders) {
            e.handOff();
        }
    }

    /** Hands everything over and waits until the broker has acknowledged (or refused) every record. */
    public void flush() {
        handOff();
        while (handedToProducer.get() < submitted) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        producer.flush();
    }

    private void sent(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            published.increment();
        } else {
            failed(exception);
        }
    }

    private void failed(Exception e) {
        publishErrors.increment();
        if (firstPublishError == null) {
            firstPublishError = e.toString();
            LOG.errorf("publishing packet records failed: %s", e);
        }
    }

    public String lastError() {
        return firstPublishError;
    }

    /**
     * Flushes, stops the encoder threads and marks the end of the run on every partition, so stream processors
     * can close what they hold for this probe (a replay's last flows) without waiting for more traffic. The
     * producer stays open for the next run.
     */
    @Override
    public void close() {
        flush();
        for (Encoder e : encoders) {
            e.stop();
        }
        PacketRecord end = PacketRecord.endOfRun(runId, factory.probeId(), factory.iface(), lastTs / 1000);
        try {
            for (var partition : producer.partitionsFor(topic)) {
                producer.send(new ProducerRecord<>(topic, partition.partition(), Math.max(0, lastTs / 1_000_000),
                        "end/" + runId, end), (m, e) -> {
                            if (e != null) {
                                LOG.warnf("cannot mark the end of run %s: %s", runId, e.toString());
                            }
                        });
            }
            producer.flush();
        } catch (RuntimeException e) {
            LOG.warnf("cannot mark the end of run %s: %s", runId, e.toString());
        }
    }

    /** One encoder thread: JSON-encodes and sends the batches handed to it, in order. */
    private final class Encoder {
        private final ArrayBlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(256);
        private final Thread thread;
        private Object[] pending = new Object[BATCH];
        private int count;
        private volatile boolean running = true;

        Encoder(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Feeder thread only. */
        void add(ProducerRecord<String, PacketRecord> r) {
            pending[count++] = r;
            if (count == BATCH) {
                handOff();
            }
        }

        /** Feeder thread only; blocks while the encoder is a full queue behind, which paces a replay. */
        void handOff() {
            if (count == 0) {
                return;
            }
            Object[] batch = count == BATCH ? pending : Arrays.copyOf(pending, count);
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pending = new Object[BATCH];
            count = 0;
        }

        @SuppressWarnings("unchecked")
        private void run() {
            while (running || !queue.isEmpty()) {
                Object[] batch;
                try {
                    batch = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (batch == null) {
                    continue;
                }
                for (Object o : batch) {
                    try {
                        producer.send((ProducerRecord<String, PacketRecord>) o, onSent);
                    } catch (RuntimeException e) {
                        // A record the producer refuses (too large, not serializable) is counted, never fatal.
                        failed(e);
                    }
                    handedToProducer.incrementAndGet();
                }
            }
        }

        void stop() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
