package io.netwatch.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * A detection: the value of {@code netwatch.alerts.v1}, keyed by {@code alert_id}. One alert stands for one
 * (rule, source, target) within a suppression window; later hits republish it with the same id, a higher
 * {@code count} and a later {@code last_seen}, so a reader keeps the latest record per id. Field by field in
 * docs/topics.md.
 *
 * @param alertId        stable: derived from rule, source, target and the first hit's event time, so reprocessing
 *                       the same traffic yields the same ids
 * @param ts             event time of the first hit, epoch microseconds
 * @param lastSeen       event time of the latest hit, epoch microseconds
 * @param count          hits folded into this alert
 * @param dstPorts       the ports involved (a sample for scans), ascending
 * @param evidence       what the rule measured: counts, window, thresholds, sample ports or names
 * @param mitreTechnique MITRE ATT&CK technique id where one fits, e.g. T1046
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String alertId,
        String rule,
        String severity,
        long ts,
        long lastSeen,
        long count,
        String probeId,
        String srcIp,
        String dstIp,
        List<Integer> dstPorts,
        String description,
        Map<String, Object> evidence,
        String mitreTechnique) implements Timestamped {

    public static final String LOW = "low";
    public static final String MEDIUM = "medium";
    public static final String HIGH = "high";
    public static final String CRITICAL = "critical";
    public static final List<String> SEVERITIES = List.of(LOW, MEDIUM, HIGH, CRITICAL);

    /** One hit of a rule, before suppression folds it into an alert (no id yet, count 1). */
    public static Alert hit(String rule, String severity, String mitreTechnique, long ts, String probeId, String srcIp,
                            String dstIp, List<Integer> dstPorts, String description, Map<String, Object> evidence) {
        return new Alert(null, rule, severity, ts, ts, 1, probeId, srcIp, dstIp, dstPorts, description, evidence,
                mitreTechnique);
    }

    /** What suppression groups by: rule, probe, source and target (each probe on its own event time). */
    public String suppressionKey() {
        return rule + "|" + probeId + "|" + srcIp + "|" + dstIp;
    }

    @Override
    public long eventTimeUs() {
        return lastSeen;
    }

    /** 0 for low up to 3 for critical. */
    public static int rank(String severity) {
        return SEVERITIES.indexOf(severity);
    }
}
