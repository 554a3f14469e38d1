package io.netwatch.enrichment.reputation;

import java.time.Clock;
import java.time.Duration;

/**
 * A provider's quota: at most {@code perMinute} requests in any minute and {@code perDay} in a UTC day, as the
 * free tiers are metered. A request that would exceed either is not sent.
 */
public final class RateLimit {
    private final int perMinute;
    private final int perDay;
    private final Clock clock;
    private long minuteStart;
    private int inMinute;
    private long day;
    private int inDay;
    private long blockedUntil;

    public RateLimit(int perMinute, int perDay, Clock clock) {
        this.perMinute = perMinute;
        this.perDay = perDay;
        this.clock = clock;
    }

    public synchronized boolean tryAcquire() {
        long now = clock.millis();
        if (now < blockedUntil) {
            return false;
        }
        if (now - minuteStart >= 60_000) {
            minuteStart = now;
            inMinute = 0;
        }
        long today = Math.floorDiv(now, 86_400_000L);
        if (today != day) {
            day = today;
            inDay = 0;
        }
        if (inMinute >= perMinute || inDay >= perDay) {
            return false;
        }
        inMinute++;
        inDay++;
        return true;
    }

    /** The provider said it is over quota (HTTP 429): send nothing for this long. */
    public synchronized void backOff(Duration d) {
        blockedUntil = Math.max(blockedUntil, clock.millis() + d.toMillis());
    }
}
