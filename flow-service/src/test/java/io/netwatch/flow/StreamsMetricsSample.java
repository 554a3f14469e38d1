package io.netwatch.flow;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of a Kafka Streams application with one stream thread that {@link io.netwatch.records.InputWatch}
 * reads, set by a test: the application's state; its consumer's connections (now and made so far), heartbeat age
 * and lag; its restore consumer's lag.
 */
public final class StreamsMetricsSample {
    private static final String THREAD = "app-0b7f-StreamThread-1";
    private volatile String state = "RUNNING";
    private volatile double connections = 1;
    private volatile double connectionsMade = 1;
    private volatile double heartbeatSecondsAgo = 1;
    private volatile double lag;
    private volatile double restoreLag;

    public void state(String s) {
        state = s;
    }

    /** Connections of the thread's main consumer: 0 when the broker has gone away. */
    public void connections(double n) {
        connections = n;
    }

    /** A connection closed and made again between two looks. */
    public void reconnect() {
        connectionsMade++;
    }

    public void heartbeatSecondsAgo(double s) {
        heartbeatSecondsAgo = s;
    }

    /** Records of a source partition not read yet. */
    public void lag(double records) {
        lag = records;
    }

    /** Records of a changelog not restored yet. */
    public void restoreLag(double records) {
        restoreLag = records;
    }

    public Map<MetricName, Metric> all() {
        Map<MetricName, Metric> m = new LinkedHashMap<>();
        put(m, "state", "stream-metrics", Map.of("client-id", "app-0b7f"), state);
        String consumer = THREAD + "-consumer";
        put(m, "connection-count", "consumer-metrics", Map.of("client-id", consumer), connections);
        put(m, "connection-creation-total", "consumer-metrics", Map.of("client-id", consumer), connectionsMade);
        put(m, "last-heartbeat-seconds-ago", "consumer-coordinator-metrics", Map.of("client-id", consumer),
                heartbeatSecondsAgo);
        put(m, "records-lag", "consumer-fetch-manager-metrics", Map.of("client-id", consumer, "topic",
                "netwatch.packets.v1", "partition", "0"), lag);
        // the restore consumer has no group and often no connection: only its lag says something
        String restore = THREAD + "-restore-consumer";
        put(m, "connection-count", "consumer-metrics", Map.of("client-id", restore), 0);
        put(m, "records-lag", "consumer-fetch-manager-metrics", Map.of("client-id", restore, "topic",
                "app-flow-state-store-changelog", "partition", "0"), restoreLag);
        return m;
    }

    private static void put(Map<MetricName, Metric> m, String name, String group, Map<String, String> tags,
                            Object value) {
        MetricName n = new MetricName(name, group, "", tags);
        m.put(n, new Metric() {
            @Override
            public MetricName metricName() {
                return n;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
