package io.netwatch.probe.control;

import io.netwatch.probe.capture.BpfFilter;
import io.netwatch.probe.capture.CaptureException;
import io.netwatch.probe.capture.CaptureFileReader;
import io.netwatch.probe.capture.FrameSink;
import io.netwatch.probe.publish.PacketPipeline;
import io.netwatch.records.ProbeStatus;
import org.jboss.logging.Logger;
import org.pcap4j.core.BpfProgram;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a capture file at a speed multiplier, keeping each packet's own timestamp as its event time, so the
 * stream processors see the same traffic whatever the speed. A looped replay shifts each pass's timestamps past the
 * previous pass, so event time never goes backwards.
 */
final class ReplayRun extends Run {
    private static final Logger LOG = Logger.getLogger(ReplayRun.class);
    /**
     * A packet due sooner than this goes at once, early by less than this: waking the encoders for every packet of
     * a paced replay (a handoff, a park) cost the probe more CPU per packet at 5,000 packets/s than at full speed.
     */
    static final long PACE_NANOS = 1_000_000;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final Path path;
    private final double speed;
    private final boolean loop;
    private final int snaplen;
    private final Map<Integer, BpfProgram> filters = new HashMap<>();
    private Thread thread;

    ReplayRun(String runId, Path path, double speed, boolean loop, String filter, int snaplen,
              PacketPipeline pipeline) {
        super(runId, ProbeStatus.REPLAY, path.toString(), filter, ProbeStatus.REPLAYING, pipeline);
        this.path = path;
        this.speed = speed;
        this.loop = loop;
        this.snaplen = snaplen;
    }

    @Override
    void start(Runnable onEnd) {
        thread = new Thread(() -> {
            try {
                replay();
            } catch (Exception | Error e) {
                error = "replay of " + path + " stopped: " + e.getMessage();
                state = ProbeStatus.FAILED;
                LOG.error(error, e);
            } finally {
                pipeline.close(!interrupted); // an interrupted replay resumes: it has not ended
                filters.values().forEach(BpfProgram::free);
                // idle once every packet is acknowledged, so the status's counts are final
                if (!ProbeStatus.FAILED.equals(state)) {
                    state = ProbeStatus.IDLE;
                }
                running = false;
                onEnd.run();
            }
        }, "replay");
        thread.start();
        LOG.infof("replaying %s at %s", path, speed > 0 ? speed + "x" : "full speed");
    }

    private void replay() throws Exception {
        long offset = 0;
        long startWall = System.nanoTime();
        long[] progressAt = {startWall + PROGRESS_EVERY_NANOS};
        long pass = 0;
        do {
            long[] first = {Long.MIN_VALUE};
            long[] last = {0};
            // pacing starts from the pass's first frame, or for a resumed run from its first frame not yet sent
            long[] paceFrom = {Long.MIN_VALUE, System.nanoTime()};
            pipeline.setTimestampOffset(offset);
            FrameSink paced = (ts, lt, buf, off, cap, wire) -> {
                if (first[0] == Long.MIN_VALUE) {
                    first[0] = ts;
                }
                last[0] = Math.max(last[0], ts);
                if (paceFrom[0] == Long.MIN_VALUE || pipeline.catchingUp()) {
                    paceFrom[0] = ts;
                    paceFrom[1] = System.nanoTime();
                }
                if (speed > 0) {
                    long due = paceFrom[1] + (long) ((ts - paceFrom[0]) / speed);
                    long wait = due - System.nanoTime();
                    if (wait >= PACE_NANOS) {
                        pipeline.handOff(); // do not hold records back while waiting for the next one's time
                        LockSupport.parkNanos(wait);
                    }
                }
                if (filter == null || matches(lt, buf, off, cap, wire)) {
                    pipeline.frame(ts, lt, buf, off, cap, wire);
                }
                long now = System.nanoTime();
                if (now >= progressAt[0]) {
                    progressAt[0] = now + PROGRESS_EVERY_NANOS;
                    long n = pipeline.packets.sum();
                    LOG.infof("replay %s: %d packets, %.0f packets/s", path.getFileName(), n,
                            n / ((now - startWall) / 1e9));
                }
            };
            try (CaptureFileReader reader = CaptureFileReader.open(path)) {
                while (running && reader.next(paced)) {
                    // each frame is handled by the sink
                }
                if (reader.truncated()) {
                    LOG.warnf("%s ends in the middle of a record: the partial record was skipped", path);
                }
            }
            pass++;
            // The next pass starts one second after this one's last packet, in event time.
            offset += (last[0] - (first[0] == Long.MIN_VALUE ? 0 : first[0])) + 1_000_000_000L;
        } while (loop && running);
        long n = pipeline.packets.sum();
        long resumed = pipeline.resumed.sum();
        LOG.infof("replay of %s %s: %d packets in %d pass(es)%s, %.0f packets/s", path,
                interrupted ? "interrupted" : "done", n, pass,
                resumed > 0 ? " (" + resumed + " of them published before the restart)" : "",
                n / Math.max(1e-9, (System.nanoTime() - startWall) / 1e9));
    }

    private boolean matches(int linkType, byte[] buf, int off, int cap, int wire) {
        BpfProgram prog = filters.computeIfAbsent(linkType, lt -> {
            try {
                return BpfFilter.compile(filter, lt, snaplen);
            } catch (CaptureException e) {
                // A pcapng interface whose link type the filter cannot apply to: stop with the reason.
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
        byte[] frame = off == 0 && buf.length == cap ? buf : java.util.Arrays.copyOfRange(buf, off, off + cap);
        return prog.applyFilter(frame, wire, cap);
    }

    @Override
    void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    Double speed() {
        return speed;
    }
}
