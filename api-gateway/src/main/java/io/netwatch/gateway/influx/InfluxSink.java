package io.netwatch.gateway.influx;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.write.Point;
import com.influxdb.exceptions.InfluxException;
import io.netwatch.gateway.feed.TopicFeed;
import io.netwatch.records.Alert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Topics;
import io.netwatch.records.TrafficMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes metrics, final flows, alerts and probe status to InfluxDB through influxdb-client-java's blocking API,
 * one batch per Kafka poll in requests of {@code batchSize} points. Kafka is the buffer: a server that is down makes
 * the feed retry with backoff and keeps offsets uncommitted, so memory stays bounded and nothing is lost. A request
 * the server rejects as malformed (400, 422) is counted and skipped, since sending it again cannot succeed.
 */
public final class InfluxSink implements TopicFeed.BatchHandler {
    private static final Logger LOG = Logger.getLogger(InfluxSink.class);

    private final InfluxDBClient client;
    private final WriteApiBlocking writes;
    private final String bucket;
    private final String org;
    private final int batchSize;
    private final TrafficPoints points;
    private TopicFeed feed;

    public InfluxSink(InfluxDBClient client, String bucket, String org, int batchSize, TrafficPoints points) {
        this.client = client;
        this.writes = client.getWriteApiBlocking();
        this.bucket = bucket;
        this.org = org;
        this.batchSize = batchSize;
        this.points = points;
    }

    public static List<String> topics() {
        return List.of(Topics.METRICS.name(), Topics.FLOWS.name(), Topics.ALERTS.name(), Topics.PROBE_STATUS.name());
    }

    public void attach(TopicFeed feed) {
        this.feed = feed;
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) {
        List<Point> out = new ArrayList<>(batch.size() * 4);
        for (ConsumerRecord<String, byte[]> r : batch) {
            String topic = r.topic();
            if (topic.equals(Topics.METRICS.name())) {
                TrafficMetrics m = feed.read(Topics.METRICS, r);
                if (m != null) {
                    points.metrics(m, out);
                }
            } else if (topic.equals(Topics.FLOWS.name())) {
                FlowRecord f = feed.read(Topics.FLOWS, r);
                if (f != null) {
                    points.flow(f, out);
                }
            } else if (topic.equals(Topics.ALERTS.name())) {
                Alert a = feed.read(Topics.ALERTS, r);
                if (a != null && a.alertId() != null) {
                    points.alert(a, out);
                }
            } else if (topic.equals(Topics.PROBE_STATUS.name())) {
                ProbeStatus s = feed.read(Topics.PROBE_STATUS, r);
                if (s != null) {
                    points.probe(s, out);
                }
            }
        }
        for (int from = 0; from < out.size(); from += batchSize) {
            List<Point> chunk = out.subList(from, Math.min(out.size(), from + batchSize));
            try {
                writes.writePoints(bucket, org, chunk);
            } catch (InfluxException e) {
                if (e.status() == 400 || e.status() == 422) {
                    LOG.warnf("InfluxDB rejected %d points as malformed, skipping them: %s", chunk.size(),
                            e.getMessage());
                    feed.skip(chunk.size());
                } else {
                    throw e;
                }
            }
        }
    }

    public void close() {
        client.close();
    }
}
