package io.netwatch.detection.rules;

import io.netwatch.records.Alert;

import java.time.Duration;
import java.util.Arrays;

/**
 * Beaconing: one host connecting to one destination and port at regular intervals, as implants calling home do.
 * Over the last {@code connections} connection starts, the intervals between them must have a mean between
 * {@code minInterval} and {@code maxInterval} and a coefficient of variation (deviation / mean) of at most
 * {@code maxVariation}: people and ordinary applications connect irregularly, timers do not. Jitter added by C2
 * frameworks (10-20 %) stays under the default 0.2; NTP, monitoring agents and update checks are regular too,
 * hence the low severity.
 */
public record BeaconRule(int connections, double maxVariation, Duration minInterval, Duration maxInterval) {
    public static final String NAME = "beaconing";
    public static final String SEVERITY = Alert.LOW;
    public static final String MITRE = "T1071";

    public BeaconRule {
        if (connections < 3) {
            throw new IllegalArgumentException("beaconing needs at least 3 connections, not " + connections);
        }
    }

    public static BeaconRule defaults() {
        return new BeaconRule(10, 0.2, Duration.ofSeconds(5), Duration.ofHours(1));
    }

    /** Mean interval and its variation over connection starts, and whether they look like a timer. */
    public record Verdict(double meanIntervalS, double variation, boolean fires) {
    }

    /** @param startsUs the latest connection starts (µs), at least {@link #connections} of them, in any order */
    public Verdict judge(long[] startsUs) {
        long[] t = startsUs.clone();
        Arrays.sort(t);
        int n = t.length - 1;
        double sum = 0;
        for (int i = 1; i < t.length; i++) {
            sum += t[i] - t[i - 1];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 1; i < t.length; i++) {
            double d = (t[i] - t[i - 1]) - mean;
            sq += d * d;
        }
        double cv = mean > 0 ? Math.sqrt(sq / n) / mean : Double.POSITIVE_INFINITY;
        boolean fires = cv <= maxVariation && mean >= minInterval.toNanos() / 1000.0
                && mean <= maxInterval.toNanos() / 1000.0;
        return new Verdict(mean / 1e6, cv, fires);
    }
}
