package io.netwatch.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netwatch.gateway.feed.TopicFeed;
import io.netwatch.records.Alert;
import io.netwatch.records.EnrichedAlert;
import io.netwatch.records.FlowRecord;
import io.netwatch.records.JsonSerde;
import io.netwatch.records.ProbeStatus;
import io.netwatch.records.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes alerts, flows and probe status to PostgreSQL, one transaction per batch. Every statement is an upsert that
 * never lets an older record replace a newer one, so a batch delivered twice, or out of order across the plain and
 * the enriched alert topics, leaves the same rows; acknowledgements are never touched.
 */
public final class PostgresSink implements TopicFeed.BatchHandler {
    static final String UPSERT_ALERT = """
            INSERT INTO alerts (alert_id, rule, severity, severity_rank, first_seen, last_seen, hits, probe_id,
                                src_ip, dst_ip, description, record, src_intel, dst_intel, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
            ON CONFLICT (alert_id) DO UPDATE SET
                severity = CASE WHEN excluded.hits >= alerts.hits THEN excluded.severity ELSE alerts.severity END,
                severity_rank = CASE WHEN excluded.hits >= alerts.hits THEN excluded.severity_rank
                                     ELSE alerts.severity_rank END,
                description = CASE WHEN excluded.hits >= alerts.hits THEN excluded.description
                                   ELSE alerts.description END,
                record = CASE WHEN excluded.hits >= alerts.hits THEN excluded.record ELSE alerts.record END,
                last_seen = GREATEST(alerts.last_seen, excluded.last_seen),
                hits = GREATEST(alerts.hits, excluded.hits),
                src_intel = COALESCE(excluded.src_intel, alerts.src_intel),
                dst_intel = COALESCE(excluded.dst_intel, alerts.dst_intel),
                updated_at = now()
            """;
    static final String UPSERT_FLOW = """
            INSERT INTO flows (flow_id, probe_id, first_seen, last_seen, update_seq, record_type, ip_proto, transport,
                               src_ip, src_port, dst_ip, dst_port, app_protocol, conn_state, packets, bytes,
                               community_id, record)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            ON CONFLICT (flow_id) DO UPDATE SET
                last_seen = excluded.last_seen, update_seq = excluded.update_seq, record_type = excluded.record_type,
                app_protocol = excluded.app_protocol, conn_state = excluded.conn_state, packets = excluded.packets,
                bytes = excluded.bytes, record = excluded.record, stored_at = now()
            WHERE (flows.record_type <> 'final' OR excluded.record_type = 'final')
              AND excluded.last_seen >= flows.last_seen
            """;
    static final String UPSERT_PROBE = """
            INSERT INTO probes (probe_id, state, mode, updated_at, status) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (probe_id) DO UPDATE SET
                state = excluded.state, mode = excluded.mode, updated_at = excluded.updated_at,
                status = excluded.status
            WHERE excluded.updated_at >= probes.updated_at
            """;
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private TopicFeed feed;

    public PostgresSink(Pool pool) {
        this.pool = pool;
    }

    public static List<String> topics() {
        return List.of(Topics.ALERTS.name(), Topics.ALERTS_ENRICHED.name(), Topics.FLOWS.name(),
                Topics.PROBE_STATUS.name());
    }

    public void attach(TopicFeed feed) {
        this.feed = feed;
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) {
        // Later records of one id replace earlier ones within a batch; across batches the upserts decide.
        Map<String, Tuple> alerts = new LinkedHashMap<>();
        Map<String, Tuple> flows = new LinkedHashMap<>();
        Map<String, Tuple> probes = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            String topic = r.topic();
            if (topic.equals(Topics.ALERTS.name())) {
                Alert a = feed.read(Topics.ALERTS, r);
                if (a != null && a.alertId() != null) {
                    alerts.merge(a.alertId(), alertRow(a, new String(r.value(), StandardCharsets.UTF_8), null, null),
                            PostgresSink::moreHits);
                }
            } else if (topic.equals(Topics.ALERTS_ENRICHED.name())) {
                EnrichedAlert e = feed.read(Topics.ALERTS_ENRICHED, r);
                if (e != null && e.alert() != null && e.alert().alertId() != null) {
                    alerts.merge(e.alert().alertId(), alertRow(e.alert(), json(e.alert()), json(e.srcIntel()),
                            json(e.dstIntel())), PostgresSink::moreHits);
                }
            } else if (topic.equals(Topics.FLOWS.name())) {
                FlowRecord f = feed.read(Topics.FLOWS, r);
                if (f != null) {
                    flows.put(f.flowId(), flowRow(f, new String(r.value(), StandardCharsets.UTF_8)));
                }
            } else if (topic.equals(Topics.PROBE_STATUS.name())) {
                ProbeStatus s = feed.read(Topics.PROBE_STATUS, r);
                if (s != null) {
                    probes.put(s.probeId(), Tuple.of(s.probeId(), s.state(), s.mode(), millis(s.updatedAt()),
                            new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        if (alerts.isEmpty() && flows.isEmpty() && probes.isEmpty()) {
            return;
        }
        pool.withTransaction(c -> batch(c, UPSERT_ALERT, alerts)
                        .chain(() -> batch(c, UPSERT_FLOW, flows))
                        .chain(() -> batch(c, UPSERT_PROBE, probes)))
                .await().atMost(WRITE_TIMEOUT);
    }

    private static Uni<Void> batch(SqlConnection c, String sql, Map<String, Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(sql).executeBatch(new ArrayList<>(rows.values())).replaceWithVoid();
    }

    /** Of two rows of one alert in a batch, the one with more hits (the later record on ties). */
    private static Tuple moreHits(Tuple before, Tuple after) {
        return after.getLong(6) >= before.getLong(6) ? mergeIntel(after, before) : mergeIntel(before, after);
    }

    private static Tuple mergeIntel(Tuple keep, Tuple other) {
        if (keep.getString(12) != null || other.getString(12) == null) {
            return keep;
        }
        List<Object> values = new ArrayList<>(keep.size());
        for (int i = 0; i < keep.size(); i++) {
            values.add(i == 12 || i == 13 ? other.getValue(i) : keep.getValue(i));
        }
        return Tuple.from(values);
    }

    static Tuple alertRow(Alert a, String record, String srcIntel, String dstIntel) {
        return Tuple.from(Arrays.asList(a.alertId(), a.rule(), a.severity(), (short) Math.max(0, Alert.rank(a.severity())),
                micros(a.ts()), micros(a.lastSeen()), a.count(), a.probeId(), a.srcIp(), a.dstIp(), a.description(),
                record, srcIntel, dstIntel));
    }

    static Tuple flowRow(FlowRecord f, String record) {
        return Tuple.from(Arrays.asList(f.flowId(), f.probeId(), micros(f.ts()), micros(f.lastSeen()), f.updateSeq(),
                f.recordType(), (short) f.ipProto(), f.transport(), f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort(),
                f.appProtocol(), f.connState(), f.origPkts() + f.respPkts(), f.origBytes() + f.respBytes(),
                f.communityId(), record));
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JsonSerde.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    static OffsetDateTime micros(long us) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000),
                ZoneOffset.UTC);
    }

    static OffsetDateTime millis(long ms) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
    }
}
