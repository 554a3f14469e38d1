package io.netwatch.probe.publish;

import io.netwatch.probe.capture.FrameSink;
import io.netwatch.probe.decode.DecodedFrame;
import io.netwatch.probe.decode.FrameDecoder;
import io.netwatch.probe.decode.PacketRecordFactory;
import io.netwatch.probe.flows.FlowCache;
import io.netwatch.probe.frames.FrameRing;
import io.netwatch.records.FlowTimeouts;
import io.netwatch.records.FlowUpdate;
import io.netwatch.records.PacketBatch;
import io.netwatch.records.PacketRecord;
import io.netwatch.records.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decodes each frame, builds its packet record and sends it, keyed by flow, with the packet's capture time as the
 * Kafka timestamp (event time for the stream processors): one record per packet on {@code netwatch.packets.v1}
 * (the default), or in batches per partition on {@code netwatch.packet-batches.v1}. A batch closes when it holds
 * {@value #BATCH_PACKETS} packets, when it is {@value #BATCH_AGE_MS} ms old, or when the encoder has nothing else
 * to do, so batching adds no delay to a quiet link.
 *
 * <p>The feeding thread decodes and builds records; JSON encoding and the producer's send run on encoder threads,
 * since one thread cannot do all of it at packet rates. Records go to an encoder chosen by their key, so the
 * packets of one flow keep their order. They are handed over in small batches; a feeder about to wait for traffic
 * calls {@link #handOff()} so nothing lingers in a partial batch.
 *
 * <p>With flow updates on ({@link #exportFlows}), each encoder also keeps a {@link FlowCache} of its lane's flows
 * and sends their updates to {@code netwatch.flow-updates.v1}: a lane carries every packet of a flow, in order.
 */
public final class PacketPipeline implements FrameSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PacketPipeline.class);
    private static final int BATCH = 128;
    static final int BATCH_PACKETS = PacketBatch.MAX_PACKETS;
    static final int BATCH_AGE_MS = 20;
    /** Below the broker's default message.max.bytes (1 MiB): a larger batch is split in two. */
    static final int BATCH_MAX_BYTES = 900 * 1024;

    private final Producer<String, byte[]> producer;
    private final PacketFormat format;
    private final String topic;
    private final Serializer<PacketRecord> packetWriter = Topics.PACKETS.valueSerde().serializer();
    private final Serializer<PacketBatch> batchWriter = Topics.PACKET_BATCHES.valueSerde().serializer();
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
    /** Set when an interrupted replay resumes: its packets already on the topic are not sent again. */
    private PublishedPackets alreadyPublished;
    public final LongAdder resumed = new LongAdder();
    public final LongAdder flowUpdates = new LongAdder();
    public final LongAdder flowUpdateErrors = new LongAdder();
    /** Frames the packet filter kept off the packets topic (they count in their flows' updates). */
    public final LongAdder filtered = new LongAdder();
    private volatile PacketFilter packetFilter = PacketFilter.ALL;
    private final Serializer<FlowUpdate> flowUpdateWriter = Topics.FLOW_UPDATES.valueSerde().serializer();
    private final Callback onFlowUpdateSent = this::flowUpdateSent;
    private volatile FlowExport flowExport;
    /** Whether a lane quiet for a while moves its flows' event time on with the wall clock (live capture). */
    private volatile boolean live;
    /** Added to every timestamp: lets a looped replay keep event time moving forward. */
    private long tsOffsetNanos;
    private long lastTs;

    public PacketPipeline(Producer<String, byte[]> producer, String runId, PacketRecordFactory factory,
                          int encoderThreads, PacketFormat format) {
        this(producer, runId, factory, encoderThreads, new FrameRing(0), format);
    }

    /** @param ring where raw frames are kept for PCAP export */
    public PacketPipeline(Producer<String, byte[]> producer, String runId, PacketRecordFactory factory,
                          int encoderThreads, FrameRing ring, PacketFormat format) {
        this.ring = ring;
        this.producer = producer;
        this.format = format;
        this.topic = format.topic;
        this.runId = runId;
        this.factory = factory;
        this.encoders = new Encoder[Math.max(1, encoderThreads)];
        for (int i = 0; i < encoders.length; i++) {
            encoders[i] = new Encoder("encode-" + i + "-" + runId);
        }
    }

    /** The encoder (lane) a key's packets go through, in order. */
    public static int lane(String key, int lanes) {
        return (key.hashCode() & 0x7fffffff) % lanes;
    }

    public int lanes() {
        return encoders.length;
    }

    /**
     * Resumes a run: its packets found on the topic are read and counted as published but not sent again. The run
     * must read the same frames in the same order, with the same run id and lane count.
     */
    public void resumeFrom(PublishedPackets published) {
        this.alreadyPublished = published;
    }

    /** Whether the next frame may be one the resumed run had published: it need not wait for its time. */
    public boolean catchingUp() {
        return alreadyPublished != null && seq < alreadyPublished.maxSeq();
    }

    public void setTimestampOffset(long nanos) {
        this.tsOffsetNanos = nanos;
    }

    /** What the probe's flow tables are built with. */
    public record FlowExport(FlowTimeouts timeouts, Duration updateInterval) {
        public FlowExport {
            if (updateInterval.isNegative() || updateInterval.isZero() || timeouts.idleTimeout().isNegative()
                    || timeouts.idleTimeout().isZero()
                    || timeouts.closeGrace().isNegative()) {
                throw new IllegalArgumentException("flow-update-interval and flow-idle-timeout must be positive and "
                        + "flow-close-grace not negative, not " + updateInterval + ", " + timeouts.idleTimeout()
                        + ", " + timeouts.closeGrace());
            }
        }
    }

    /**
     * Keeps a flow table per lane and publishes its updates on netwatch.flow-updates.v1, for the rest of this run.
     * Call before the first frame.
     */
    public void exportFlows(FlowExport export) {
        this.flowExport = export;
    }

    /**
     * Publishes only the frames the filter keeps (docs/proposals/flow-updates.md, step 4); the flow tables still
     * see every frame. Call after {@link #exportFlows} and before the first frame.
     */
    public void setPacketFilter(PacketFilter filter) {
        if (filter != PacketFilter.ALL && flowExport == null) {
            throw new IllegalStateException("packet-filter=" + filter.name().toLowerCase()
                    + " needs flow updates: the frames it leaves out would be in no record at all");
        }
        this.packetFilter = filter;
    }

    public PacketFilter packetFilter() {
        return packetFilter;
    }

    public boolean exportsFlows() {
        return flowExport != null;
    }

    /** A live capture: a lane with no packet for a while ages its flows with the wall clock, as the link does. */
    public void setLive(boolean live) {
        this.live = live;
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
        if (alreadyPublished != null && seq <= alreadyPublished.maxSeq() && alreadyPublished.contains(k.key(), seq)) {
            resumed.increment();
            published.increment(); // by the run before the restart
            if (flowExport != null) {
                // not sent again, but its flow counts it: the flow updates of a resumed run are totals too
                encoders[lane(k.key(), encoders.length)].addResumed(new PacketBatch.Entry(k.key(), k.record()));
            }
            return;
        }
        if (ring.enabled()) {
            ring.add(runId, ts, linkType, buf, off, capLen, wireLen, k.record());
        }
        PacketFilter filter = packetFilter;
        boolean publish = filter == PacketFilter.ALL || filter.keeps(k.key(), k.record());
        if (publish) {
            submitted++;
        } else {
            filtered.increment();
        }
        encoders[lane(k.key(), encoders.length)].add(new PacketBatch.Entry(k.key(), k.record()), publish);
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
            failed(exception, 1);
        }
    }

    private void flowUpdateSent(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            flowUpdates.increment();
        } else {
            flowUpdateErrors.increment();
            if (firstPublishError == null) {
                firstPublishError = exception.toString();
                LOG.errorf("publishing flow updates failed: %s", exception);
            }
        }
    }

    private void failed(Exception e, int packets) {
        publishErrors.add(packets);
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
        close(true);
    }

    /** @param ended false for a run that is only interrupted (the probe shuts down) and will resume: no markers */
    public void close(boolean ended) {
        flush();
        for (Encoder e : encoders) {
            e.stop(ended);
        }
        if (!ended) {
            return;
        }
        PacketRecord end = PacketRecord.endOfRun(runId, factory.probeId(), factory.iface(), lastTs / 1000);
        String key = "end/" + runId;
        boolean batched = format == PacketFormat.BATCHES;
        byte[] value = batched
                ? batchWriter.serialize(topic,
                        new PacketBatch(factory.probeId(), List.of(new PacketBatch.Entry(key, end))))
                : packetWriter.serialize(topic, end);
        try {
            for (var partition : producer.partitionsFor(topic)) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, partition.partition(),
                        Math.max(0, lastTs / 1_000_000), batched ? factory.probeId() : key, value);
                if (batched) {
                    r.headers().add(PacketBatch.COUNT_HEADER, "1".getBytes(StandardCharsets.US_ASCII));
                }
                producer.send(r, (m, e) -> {
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

    /**
     * Packets handed to an encoder in one go. A resumed run's (published before the restart) only rebuild the flow
     * table, without sending its updates again; of the others, those {@code publish} marks (all when null) are
     * sent as packet records.
     */
    private record Handed(PacketBatch.Entry[] entries, boolean[] publish, boolean resumed) {
        boolean published(int i) {
            return publish == null || publish[i];
        }
    }

    /** One encoder thread: JSON-encodes and sends the packets handed to it, in order. */
    private final class Encoder {
        /** A lane this long without packets on a live link moves its flows' event time on with the clock. */
        private static final long QUIET_NANOS = 1_000_000_000L;

        private final ArrayBlockingQueue<Handed> queue = new ArrayBlockingQueue<>(256);
        private final Thread thread;
        private PacketBatch.Entry[] pending = new PacketBatch.Entry[BATCH];
        private int count;
        private boolean[] pendingPublish;
        private boolean pendingResumed;
        private volatile boolean running = true;
        private volatile boolean endFlows;
        private PartitionBatches batches;
        private FlowCache flows;
        private final FlowCache.Sink flowSink = this::sendFlowUpdate;
        private boolean muteFlowUpdates;
        private long lastBatchNanos = System.nanoTime();
        private long clockAtLastBatch = Long.MIN_VALUE;

        Encoder(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Feeder thread only; {@code publish} false: for the flow table only (left out by the packet filter). */
        void add(PacketBatch.Entry e, boolean publish) {
            append(e, false, publish);
        }

        /** Feeder thread only: a packet the run before a restart published, for the flow table only. */
        void addResumed(PacketBatch.Entry e) {
            append(e, true, false);
        }

        private void append(PacketBatch.Entry e, boolean resumed, boolean publish) {
            if (resumed != pendingResumed) {
                handOff();
                pendingResumed = resumed;
            }
            if (!publish && !resumed && pendingPublish == null) {
                pendingPublish = new boolean[BATCH];
                Arrays.fill(pendingPublish, 0, count, true);
            }
            if (pendingPublish != null) {
                pendingPublish[count] = publish;
            }
            pending[count++] = e;
            if (count == BATCH) {
                handOff();
            }
        }

        /** Feeder thread only; blocks while the encoder is a full queue behind, which paces a replay. */
        void handOff() {
            if (count == 0) {
                return;
            }
            PacketBatch.Entry[] batch = count == BATCH ? pending : Arrays.copyOf(pending, count);
            boolean[] publish = pendingPublish == null || count == BATCH ? pendingPublish
                    : Arrays.copyOf(pendingPublish, count);
            try {
                queue.put(new Handed(batch, pendingResumed ? null : publish, pendingResumed));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pending = new PacketBatch.Entry[BATCH];
            pendingPublish = null;
            count = 0;
        }

        private void run() {
            while (running || !queue.isEmpty()) {
                Handed handed;
                try {
                    handed = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (handed == null) {
                    ageQuietFlows();
                    continue;
                }
                PacketBatch.Entry[] batch = handed.entries();
                if (flowExport != null) {
                    if (flows == null) {
                        flows = new FlowCache(runId, flowExport.timeouts(), flowExport.updateInterval(), flowSink);
                    }
                    // a resumed run's flow table replays what the first run published: the updates it makes on
                    // the way are those the first run sent (a lane sees the same packets in the same order)
                    muteFlowUpdates = handed.resumed();
                    for (PacketBatch.Entry e : batch) {
                        flows.add(e.key(), e.packet());
                    }
                    muteFlowUpdates = false;
                    lastBatchNanos = System.nanoTime();
                    clockAtLastBatch = flows.clock();
                }
                if (handed.resumed()) {
                    continue;
                }
                if (format == PacketFormat.PACKETS) {
                    for (int i = 0; i < batch.length; i++) {
                        if (handed.published(i)) {
                            sendOne(batch[i]);
                        }
                    }
                    continue;
                }
                if (batches == null) {
                    try {
                        batches = new PartitionBatches(producer.partitionsFor(topic).size(), BATCH_PACKETS,
                                BATCH_AGE_MS * 1_000_000L);
                    } catch (RuntimeException ex) {
                        // no metadata (broker unreachable for max.block.ms): these packets are counted as lost,
                        // as a refused send would be, and the next ones try again
                        int n = 0;
                        for (int i = 0; i < batch.length; i++) {
                            n += handed.published(i) ? 1 : 0;
                        }
                        failed(ex, n);
                        handedToProducer.addAndGet(n);
                        continue;
                    }
                }
                long now = System.nanoTime();
                for (int i = 0; i < batch.length; i++) {
                    if (handed.published(i)) {
                        batches.add(batch[i], now, this::sendBatch);
                    }
                }
                if (queue.isEmpty()) {
                    batches.closeAll(this::sendBatch);
                } else {
                    batches.closeAged(now, this::sendBatch);
                }
            }
            if (batches != null) {
                batches.closeAll(this::sendBatch);
            }
            if (flows != null && endFlows) {
                flows.endAll();
            }
        }

        private void ageQuietFlows() {
            if (!live || flows == null || clockAtLastBatch == Long.MIN_VALUE) {
                return;
            }
            long quiet = System.nanoTime() - lastBatchNanos;
            if (quiet >= QUIET_NANOS) {
                flows.advanceTo(clockAtLastBatch + quiet / 1000);
            }
        }

        private void sendFlowUpdate(String key, FlowUpdate u) {
            if (muteFlowUpdates) {
                return;
            }
            try {
                producer.send(new ProducerRecord<>(Topics.FLOW_UPDATES.name(), null,
                        Math.max(0, u.lastSeen() / 1000), key, flowUpdateWriter.serialize(Topics.FLOW_UPDATES.name(), u)),
                        onFlowUpdateSent);
            } catch (RuntimeException ex) {
                flowUpdateSent(null, ex);
            }
        }

        private void sendOne(PacketBatch.Entry e) {
            try {
                producer.send(new ProducerRecord<>(topic, null, Math.max(0, e.packet().ts() / 1000), e.key(),
                        packetWriter.serialize(topic, e.packet())), onSent);
            } catch (RuntimeException ex) {
                // A record the producer refuses (too large, not serializable) is counted, never fatal.
                failed(ex, 1);
            }
            handedToProducer.incrementAndGet();
        }

        private void sendBatch(List<PacketBatch.Entry> packets, int partition) {
            int n = packets.size();
            try {
                byte[] value = batchWriter.serialize(topic, new PacketBatch(factory.probeId(), packets));
                if (value.length > BATCH_MAX_BYTES && n > 1) {
                    sendBatch(packets.subList(0, n / 2), partition);
                    sendBatch(packets.subList(n / 2, n), partition);
                    return;
                }
                long ts = packets.get(n - 1).packet().ts();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, partition, Math.max(0, ts / 1000),
                        factory.probeId(), value);
                r.headers().add(PacketBatch.COUNT_HEADER, Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
                producer.send(r, (m, ex) -> {
                            if (ex == null) {
                                published.add(n);
                            } else {
                                failed(ex, n);
                            }
                        });
            } catch (RuntimeException ex) {
                failed(ex, n);
            }
            handedToProducer.addAndGet(n);
        }

        /** @param ended the run ended: its flows end too ({@code forced_end}) */
        void stop(boolean ended) {
            endFlows = ended;
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
