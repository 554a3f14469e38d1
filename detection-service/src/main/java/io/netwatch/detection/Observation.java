package io.netwatch.detection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.netwatch.records.CompactSerde;
import io.netwatch.records.StateBytes;
import io.netwatch.records.Timestamped;

/**
 * One thing a windowed rule counts, sent from the inspectors (partitioned by flow) to the window evaluator
 * (partitioned by what the rule counts per: a source, a target, a client and domain). Internal to the
 * detection-service, on {@code netwatch.detection-observations.v1}.
 *
 * @param rule   the window rule's name
 * @param entity what the rule counts per, e.g. {@code 10.0.0.1>10.0.0.2} for a vertical scan
 * @param value  the value counted distinctly (a port, a host, a subdomain), for distinct-count rules
 * @param amount what a sum rule adds (bytes, packets); 1 for count rules
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Observation(String rule, String entity, long ts, String probeId, String srcIp, String dstIp,
                          Integer port, String value, long amount) implements Timestamped {

    public static final CompactSerde<Observation> SERDE = new CompactSerde<>(Observation.class,
            Observation::toBytes, Observation::fromBytes);

    /** {@link #rule} of the marker a packet inspector sends to every window partition when a probe's run ends. */
    public static final String END_OF_RUN = "end_of_run";

    /**
     * A probe's run ({@code runId}) has ended in packet partition {@code partition} of {@code partitions}: once
     * it has in every one, nothing more of that run will come, and its windows can close.
     */
    public static Observation endOfRun(String probeId, String runId, int partition, int partitions, long ts) {
        return new Observation(END_OF_RUN, String.valueOf(partition), ts, probeId, null, null, null, runId,
                partitions);
    }

    byte[] toBytes() {
        return new StateBytes.Writer().writeByte(1).writeUTF(rule).writeUTF(entity).writeLong(ts)
                .writeOptionalUTF(probeId).writeOptionalUTF(srcIp).writeOptionalUTF(dstIp).writeOptionalInt(port)
                .writeOptionalUTF(value).writeLong(amount).toByteArray();
    }

    static Observation fromBytes(byte[] b) {
        StateBytes.Reader i = StateBytes.Reader.versioned(b, 1, "observation");
        return new Observation(i.readUTF(), i.readUTF(), i.readLong(), i.readOptionalUTF(), i.readOptionalUTF(),
                i.readOptionalUTF(), i.readOptionalInt(), i.readOptionalUTF(), i.readLong());
    }

    public boolean isEndOfRun() {
        return END_OF_RUN.equals(rule);
    }

    @Override
    public long eventTimeUs() {
        return ts;
    }

    /**
     * The Kafka key: rule, probe and entity, so each rule's counts for one entity meet in one partition, and each
     * probe counts on its own clock (two probes that see the same traffic do not count it twice).
     */
    public String key() {
        return rule + "|" + probeId + "|" + entity;
    }

    /** The entity part of a {@link #key()}. */
    public static String entityOf(String key) {
        return key.substring(key.indexOf('|', key.indexOf('|') + 1) + 1);
    }
}
