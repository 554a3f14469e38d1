package io.netwatch.probe.frames;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.PacketRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent raw frames, within a byte budget, so a flow or an alert can be exported as a capture file after
 * the fact. The oldest frames go first; a budget of zero keeps nothing and costs nothing per packet.
 *
 * <p>Frames are copied into a few large arrays, written round in turn, rather than each into an array of its own:
 * the ring holds the last fraction of a second of a busy link, so its frames outlived the young collections, and
 * copying them from one survivor space to the next was most of the probe's collector time (bench-pipeline, campus
 * mix). What each frame costs besides its bytes (its entry here) counts against the budget too.
 */
public final class FrameRing {
    /** Bytes of one storage array. */
    static final int CHUNK = 1 << 20;
    /** What a held frame's entry costs besides its bytes. */
    private static final int ENTRY_COST = 96;

    private final long budgetBytes;
    /** Storage arrays, made when first written. */
    private final byte[][] chunks;
    private final int chunkSize;
    private final ArrayDeque<Entry> frames = new ArrayDeque<>();
    private int chunk = -1;
    private int pos;
    private long heldBytes;
    private long evicted;

    /** Where a held frame's bytes are, and what it is selected by. */
    private record Entry(String runId, long tsNanos, int linkType, int wireLen, int chunk, int offset, int capLen,
                         String srcIp, String dstIp, int srcPort, int dstPort, int ipProto) {
        long cost() {
            return capLen + (long) ENTRY_COST;
        }
    }

    public FrameRing(long budgetBytes) {
        this.budgetBytes = Math.max(0, budgetBytes);
        this.chunkSize = (int) Math.min(CHUNK, this.budgetBytes);
        this.chunks = new byte[chunkSize == 0 ? 0 : (int) Math.max(1, this.budgetBytes / chunkSize)][];
    }

    public boolean enabled() {
        return budgetBytes > 0;
    }

    /** Holds a copy of the captured bytes, selectable by the addresses of the frame's packet record. */
    public synchronized void add(String runId, long tsNanos, int linkType, byte[] buf, int off, int capLen,
                                 int wireLen, PacketRecord r) {
        if (capLen + (long) ENTRY_COST > budgetBytes || capLen > chunkSize) {
            return;
        }
        if (chunk < 0 || pos + capLen > chunkSize) {
            chunk = (chunk + 1) % chunks.length;
            pos = 0;
            // the oldest frames are in the array written next: they go
            while (!frames.isEmpty() && frames.peekFirst().chunk() == chunk) {
                evictOldest();
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new byte[chunkSize];
            }
        }
        System.arraycopy(buf, off, chunks[chunk], pos, capLen);
        Entry e = new Entry(runId, tsNanos, linkType, wireLen, chunk, pos, capLen, r.srcIp(), r.dstIp(),
                r.srcPort() == null ? -1 : r.srcPort(), r.dstPort() == null ? -1 : r.dstPort(),
                r.ipProto() == null ? -1 : r.ipProto());
        pos += capLen;
        frames.addLast(e);
        heldBytes += e.cost();
        while (heldBytes > budgetBytes) {
            evictOldest();
        }
    }

    private void evictOldest() {
        heldBytes -= frames.removeFirst().cost();
        evicted++;
    }

    /** The matching frames in capture order, at most {@code max}, each with a copy of its bytes. */
    public synchronized List<HeldFrame> select(FrameSelector selector, int max) {
        List<HeldFrame> out = new ArrayList<>();
        for (Entry e : frames) {
            HeldFrame f = new HeldFrame(e.runId(), e.tsNanos(), e.linkType(), e.wireLen(), null, e.srcIp(),
                    e.dstIp(), e.srcPort(), e.dstPort(), e.ipProto());
            if (selector.matches(f)) {
                out.add(f.withData(Arrays.copyOfRange(chunks[e.chunk()], e.offset(), e.offset() + e.capLen())));
                if (out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /** Why an export found nothing: what the ring holds, so the caller can ask again for a range it has. */
    public String whyNothingMatches() {
        Stats held = stats();
        return held.frames() == 0 ? "the probe holds no frames (netwatch.probe.frame-ring-bytes=" + held.budgetBytes()
                + ")" : "none of the " + held.frames() + " held frames match; they cover " + held.oldestTs() + " to "
                + held.newestTs() + " (microseconds since the epoch)";
    }

    public synchronized Stats stats() {
        return new Stats(frames.size(), heldBytes, budgetBytes, evicted,
                frames.isEmpty() ? null : frames.peekFirst().tsNanos() / 1000,
                frames.isEmpty() ? null : frames.peekLast().tsNanos() / 1000);
    }

    /** What the ring holds; times in microseconds since the epoch, like every record netwatch publishes. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(int frames, long bytes, long budgetBytes, long evicted, Long oldestTs, Long newestTs) {
    }
}
