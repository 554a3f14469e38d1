package io.netwatch.bench;

import java.util.List;
import java.util.Locale;

/**
 * Whether a consumer kept pace with its input over a stretch of samples: the input's rate, the largest lag, and the
 * lag's trend (least-squares slope). A consumer keeps pace when its lag neither grows by more than a hundredth of
 * its input's rate nor ever holds more than a second of input; then what it was given is what it sustained.
 *
 * @param inputPerSecond records a second appended to the consumer's topic over the stretch
 * @param maxLag         the largest lag sampled, records
 * @param slopePerSecond the lag's least-squares trend, records a second (positive: falling behind)
 * @param samples        how many samples the stretch held
 */
record LagTrend(double inputPerSecond, long maxLag, double slopePerSecond, int samples) {

    /** The trend over the samples taken from {@code fromMs} to {@code toMs} (inclusive); null with fewer than 3. */
    static LagTrend of(List<PipelineSampler.Sample> all, PipelineSampler.Consumer c, long fromMs, long toMs) {
        List<PipelineSampler.Sample> s = all.stream().filter(x -> x.atMs() >= fromMs && x.atMs() <= toMs).toList();
        if (s.size() < 3) {
            return null;
        }
        double meanT = 0;
        double meanLag = 0;
        long maxLag = 0;
        for (PipelineSampler.Sample x : s) {
            meanT += x.atMs() / 1000.0;
            meanLag += x.lag(c);
            maxLag = Math.max(maxLag, x.lag(c));
        }
        meanT /= s.size();
        meanLag /= s.size();
        double num = 0;
        double den = 0;
        for (PipelineSampler.Sample x : s) {
            double dt = x.atMs() / 1000.0 - meanT;
            num += dt * (x.lag(c) - meanLag);
            den += dt * dt;
        }
        PipelineSampler.Sample first = s.get(0);
        PipelineSampler.Sample last = s.get(s.size() - 1);
        double seconds = (last.atMs() - first.atMs()) / 1000.0;
        double input = (last.topicEnds().get(c.topic()) - first.topicEnds().get(c.topic())) / seconds;
        return new LagTrend(input, maxLag, num / den, s.size());
    }

    boolean keptPace() {
        return slopePerSecond <= 0.01 * inputPerSecond && maxLag <= inputPerSecond;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "input %,.0f records/s, lag max %,d (%.2f s of input), trend %+,.0f records/s: %s",
                inputPerSecond, maxLag, maxLag / Math.max(1, inputPerSecond), slopePerSecond,
                keptPace() ? "kept pace" : "fell behind");
    }
}
