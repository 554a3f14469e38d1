package io.netwatch.probe.frames;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent raw frames, within a byte budget, so a flow or an alert can be exported as a capture file after
 * the fact. The oldest frames go first; a budget of zero keeps nothing and costs nothing per packet.
 */
public final class FrameRing {
    private final long budgetBytes;
    private final ArrayDeque<HeldFrame> frames = new ArrayDeque<>();
    private long heldBytes;
    private long evicted;

    public FrameRing(long budgetBytes) {
        this.budgetBytes = Math.max(0, budgetBytes);
    }

    public boolean enabled() {
        return budgetBytes > 0;
    }

    public synchronized void add(HeldFrame f) {
        long cost = f.cost();
        if (cost > budgetBytes) {
            return;
        }
        frames.addLast(f);
        heldBytes += cost;
        while (heldBytes > budgetBytes) {
            heldBytes -= frames.removeFirst().cost();
            evicted++;
        }
    }

    /** The matching frames in capture order, at most {@code max}. */
    public synchronized List<HeldFrame> select(FrameSelector selector, int max) {
        List<HeldFrame> out = new ArrayList<>();
        for (HeldFrame f : frames) {
            if (selector.matches(f)) {
                out.add(f);
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
