package io.netwatch.probe.control;

import io.netwatch.probe.capture.CapturedFrame;
import io.netwatch.probe.capture.LiveCapture;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.records.ProbeStatus;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Live capture: one thread reads frames from libpcap into a bounded queue, another decodes and publishes them. */
final class LiveRun extends Run {
    private static final Logger LOG = Logger.getLogger(LiveRun.class);
    /** Quiet on the capture queue for this long hands the pending packets to the encoders. */
    static final long HAND_OFF_AFTER_MS = 1;

    private final LiveCapture capture;
    private final LiveCapture.Settings settings;
    private final BlockingQueue<CapturedFrame> queue;
    private final LongAdder drops = new LongAdder();
    private volatile long[] lastStats;
    private Thread reader;
    private Thread decoder;

    LiveRun(String runId, LiveCapture capture, LiveCapture.Settings settings, int queueCapacity,
            PacketPipeline pipeline) {
        super(runId, ProbeStatus.LIVE, capture.iface(), settings.filter(), ProbeStatus.CAPTURING, pipeline);
        this.capture = capture;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    @Override
    void start(Runnable onEnd) {
        reader = new Thread(() -> {
            try {
                capture.run(queue, drops, () -> running);
            } catch (Exception | Error e) {
                error = "capture on " + source + " failed: " + e;
                state = ProbeStatus.FAILED;
                LOG.error(error, e);
                running = false;
            }
        }, "capture-" + source);
        decoder = new Thread(() -> {
            int linkType = capture.linkType();
            try {
                while (running || !queue.isEmpty()) {
                    CapturedFrame f = queue.poll();
                    if (f == null) {
                        // a packet within a millisecond joins the pending batch; only a pause in the traffic hands
                        // it to the encoders, so a steady trickle does not wake them for every packet
                        f = queue.poll(HAND_OFF_AFTER_MS, TimeUnit.MILLISECONDS);
                    }
                    if (f == null) {
                        pipeline.handOff(); // nothing queued: let the encoders send what is pending
                        f = queue.poll(100, TimeUnit.MILLISECONDS);
                    }
                    if (f != null) {
                        pipeline.frame(f.tsNanos(), linkType, f.data(), 0, f.data().length, f.wireLen());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                joinQuietly(reader);
                pipeline.close();
                snapshotStats();
                capture.close();
                if (!ProbeStatus.FAILED.equals(state)) {
                    state = ProbeStatus.IDLE;
                }
                onEnd.run();
            }
        }, "decode-" + source);
        reader.setPriority(Thread.MAX_PRIORITY);
        reader.start();
        decoder.start();
        LOG.infof("capturing on %s (filter '%s', snaplen %d, promiscuous %s)", source,
                filter == null ? "" : filter, settings.snaplen(), settings.promiscuous());
    }

    @Override
    void stop() {
        running = false;
        capture.wakeUp();
        try {
            if (reader != null) {
                reader.join(5000);
            }
            if (decoder != null) {
                decoder.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void snapshotStats() {
        LiveCapture.Stats s = capture.stats();
        if (s != null) {
            lastStats = new long[] {s.received(), s.kernelDrops(), s.interfaceDrops()};
        }
    }

    @Override
    long[] pcapStats() {
        if (running) {
            snapshotStats();
        }
        return lastStats;
    }

    @Override
    Integer snaplen() {
        return settings.snaplen();
    }

    @Override
    Boolean promiscuous() {
        return settings.promiscuous();
    }

    @Override
    long queueDrops() {
        return drops.sum();
    }
}
