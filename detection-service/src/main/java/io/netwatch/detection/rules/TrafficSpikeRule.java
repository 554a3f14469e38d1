package io.netwatch.detection.rules;

import io.netwatch.records.Alert;
import io.netwatch.records.CompactSerde;
import io.netwatch.records.StateBytes;

/**
 * Bytes per second of one probe or one internal host against its own moving baseline: an exponentially weighted
 * mean and variance (EWMA, smoothing {@code alpha} per second, seconds without traffic counting as zero). A second
 * fires when its bytes lie {@code zThreshold} deviations above the mean, after {@code warmupSeconds} of baseline,
 * and above {@code minBytesPerSecond} so a quiet host going from 1 kB/s to 20 kB/s does not page anyone.
 */
public record TrafficSpikeRule(double alpha, double zThreshold, long warmupSeconds, long minBytesPerSecond) {
    public static final String NAME = "traffic_spike";
    public static final String SEVERITY = Alert.MEDIUM;

    public static TrafficSpikeRule defaults() {
        return new TrafficSpikeRule(0.02, 6.0, 300, 1_000_000);
    }

    /** The baseline of one entity: its current second and the EWMA of the seconds before it. */
    public static final class Baseline {
        /** In the traffic-baseline store: a compact form, written for a busy host every second. */
        public static final CompactSerde<Baseline> SERDE = new CompactSerde<>(Baseline.class, Baseline::toBytes,
                Baseline::fromBytes);

        public long second = Long.MIN_VALUE;
        public long bytes;
        public double mean;
        public double variance;
        public long seconds;
        public String probeId;

        byte[] toBytes() {
            return new StateBytes.Writer().writeByte(1).writeLong(second).writeLong(bytes).writeDouble(mean)
                    .writeDouble(variance).writeLong(seconds).writeOptionalUTF(probeId).toByteArray();
        }

        static Baseline fromBytes(byte[] b) {
            StateBytes.Reader i = StateBytes.Reader.versioned(b, 1, "traffic baseline");
            Baseline x = new Baseline();
            x.second = i.readLong();
            x.bytes = i.readLong();
            x.mean = i.readDouble();
            x.variance = i.readDouble();
            x.seconds = i.readLong();
            x.probeId = i.readOptionalUTF();
            return x;
        }
    }

    /** The verdict on a closed second. */
    public record Verdict(long second, long bytes, double mean, double stddev, double z, boolean fires) {
    }

    /**
     * Adds bytes observed in {@code second}; when that closes an earlier second, returns the verdict on it (and
     * folds it into the baseline), else null. Late bytes for an already closed second count in the current one.
     */
    public Verdict add(Baseline b, long second, long bytes) {
        if (b.second == Long.MIN_VALUE) {
            b.second = second;
        }
        if (second <= b.second) {
            b.bytes += bytes;
            return null;
        }
        long closed = b.second;
        long x = b.bytes;
        double sd = Math.sqrt(b.variance);
        double z = sd > 0 ? (x - b.mean) / sd : (x > b.mean ? Double.POSITIVE_INFINITY : 0);
        boolean fires = b.seconds >= warmupSeconds && x >= minBytesPerSecond && z >= zThreshold;
        Verdict v = new Verdict(closed, x, b.mean, sd, z, fires);
        fold(b, x);
        // the seconds between with no traffic at all; past a few hundred the baseline has decayed anyway
        long gap = Math.min(second - closed - 1, 2000);
        for (long i = 0; i < gap; i++) {
            fold(b, 0);
        }
        b.second = second;
        b.bytes = bytes;
        return v;
    }

    private void fold(Baseline b, long x) {
        double diff = x - b.mean;
        double incr = alpha * diff;
        b.mean += incr;
        b.variance = (1 - alpha) * (b.variance + diff * incr);
        b.seconds++;
    }
}
