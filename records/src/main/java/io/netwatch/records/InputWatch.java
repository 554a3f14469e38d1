package io.netwatch.records;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Whether a stream application could have seen quiet on its input, for processors that act on wall-clock quiet
 * (flows and detection windows that age with the clock when a probe sends nothing). Nothing arriving because the
 * broker was away, the stream thread was blocked or its tasks were being restored is not quiet on the wire: no
 * quiet time counts then, and afterwards it counts from then. Otherwise a broker restart or a rebalance longer
 * than the quiet flush closes every open window with part of its count, and the rest opens a window of its own,
 * below the threshold.
 *
 * <p>Read from the application's own metrics, by the processors' wall-clock punctuations. Quiet does not count
 * while the application is not {@code RUNNING}, a stream thread's consumer has no connection or no group heartbeat
 * for {@code maxSilence}, or a consumer (main or restore) has records waiting to be read; and it counts afresh
 * after a new connection (a reconnect may begin and end between two looks) or after {@code maxSilence} without a
 * look (the stream thread was blocked, as it is in a commit while the broker is away).
 */
public final class InputWatch {
    /** Topologies run without a broker (TopologyTestDriver): nothing watched, quiet always counts. */
    public static final InputWatch NONE = new InputWatch(Duration.ZERO);

    private static final Logger LOG = Logger.getLogger(InputWatch.class.getName());
    private static final long READ_EVERY_MS = 500;

    private final long maxSilenceMs;
    private volatile Supplier<Map<MetricName, ? extends Metric>> metrics;
    private long readAtMs = Long.MIN_VALUE;
    private double connectionsMade = -1;
    private long countsFromMs = Long.MIN_VALUE;
    private String lastReason = "";

    public InputWatch(Duration maxSilence) {
        this.maxSilenceMs = maxSilence.toMillis();
    }

    /** Starts reading {@code metrics} (KafkaStreams::metrics); until then, and for {@link #NONE}, quiet counts. */
    public void watch(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        if (this == NONE) {
            throw new IllegalStateException("InputWatch.NONE reads no metrics");
        }
        this.metrics = metrics;
    }

    /**
     * The wall time from which quiet on the input counts, {@link Long#MIN_VALUE} for always, or {@link
     * Long#MAX_VALUE} while it does not count: quiet time is {@code now - max(last record, quietCountsFrom(now))}.
     */
    public synchronized long quietCountsFrom(long nowMs) {
        Supplier<Map<MetricName, ? extends Metric>> m = metrics;
        if (m == null) {
            return Long.MIN_VALUE;
        }
        boolean first = readAtMs == Long.MIN_VALUE;
        if (!first && nowMs - readAtMs < READ_EVERY_MS && nowMs >= readAtMs) {
            return countsFromMs;
        }
        long sinceLookMs = first ? 0 : nowMs - readAtMs;
        readAtMs = nowMs;
        Reading r = read(m.get());
        boolean reconnected = connectionsMade >= 0 && r.connectionsMade > connectionsMade;
        connectionsMade = r.connectionsMade;
        String reason = r.notQuiet != null ? r.notQuiet
                : reconnected ? "a consumer reconnected"
                : sinceLookMs > maxSilenceMs ? "the stream thread was blocked for " + sinceLookMs / 1000 + " s"
                : null;
        if (r.notQuiet != null) {
            countsFromMs = Long.MAX_VALUE;
        } else if (reason != null || countsFromMs == Long.MAX_VALUE) {
            countsFromMs = nowMs;
        }
        log(reason);
        return countsFromMs;
    }

    /**
     * A break once when it is seen and once when it is over. Records waiting to be read are the normal state of a
     * busy service: they are not logged.
     */
    private void log(String reason) {
        String now = reason == null || reason.startsWith("records waiting") ? "" : reason;
        if (now.equals(lastReason)) {
            return;
        }
        if (now.isEmpty()) {
            LOG.info("quiet on the input counts again (after: " + lastReason + ")");
        } else {
            LOG.info("quiet on the input does not count: " + now);
        }
        lastReason = now;
    }

    /** Why quiet cannot be seen now (or null), and how many connections the main consumers have made so far. */
    private record Reading(String notQuiet, double connectionsMade) {
    }

    private Reading read(Map<MetricName, ? extends Metric> all) {
        String notQuiet = null;
        boolean anyConsumer = false;
        double made = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
            MetricName n = e.getKey();
            if (n.group().equals("stream-metrics") && n.name().equals("state")) {
                Object state = e.getValue().metricValue();
                if (!"RUNNING".equals(String.valueOf(state))) {
                    notQuiet = "the application is " + state;
                }
                continue;
            }
            String client = n.tags().getOrDefault("client-id", "");
            boolean restore = client.endsWith("-restore-consumer");
            if (!client.endsWith("-consumer")) {
                continue;
            }
            if (n.group().equals("consumer-fetch-manager-metrics") && n.name().equals("records-lag")
                    && value(e.getValue()) > 0) {
                notQuiet = notQuiet != null ? notQuiet : restore ? "records waiting to be restored"
                        : "records waiting to be read";
            }
            if (restore) {
                continue;
            }
            if (n.group().equals("consumer-metrics")) {
                if (n.name().equals("connection-count")) {
                    anyConsumer = true;
                    if (value(e.getValue()) <= 0) {
                        notQuiet = "a consumer has no connection to the broker";
                    }
                } else if (n.name().equals("connection-creation-total")) {
                    made += value(e.getValue());
                }
            } else if (n.name().equals("last-heartbeat-seconds-ago")
                    && n.group().equals("consumer-coordinator-metrics")) {
                double ago = value(e.getValue());
                if (ago < 0) {
                    notQuiet = "a consumer has not sent a group heartbeat yet";
                } else if (ago * 1000 > maxSilenceMs) {
                    notQuiet = "a consumer has sent no group heartbeat for " + Math.round(ago) + " s";
                }
            }
        }
        if (!anyConsumer && notQuiet == null) {
            notQuiet = "no consumer yet";
        }
        return new Reading(notQuiet, made);
    }

    private static double value(Metric m) {
        Object v = m.metricValue();
        return v instanceof Number n ? n.doubleValue() : -1;
    }
}
