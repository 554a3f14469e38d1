package io.netwatch.gateway.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An alert as the gateway keeps it: the latest wire record, its enrichment, and who acknowledged it. */
@Entity
@Table(name = "alerts")
public class StoredAlert extends PanacheEntityBase {
    @Id
    @Column(name = "alert_id")
    public String alertId;
    public String rule;
    public String severity;
    @Column(name = "severity_rank")
    public short severityRank;
    @Column(name = "first_seen")
    public Instant firstSeen;
    @Column(name = "last_seen")
    public Instant lastSeen;
    public long hits;
    @Column(name = "probe_id")
    public String probeId;
    @Column(name = "src_ip")
    public String srcIp;
    @Column(name = "dst_ip")
    public String dstIp;
    public String description;
    public String record;
    @Column(name = "src_intel")
    public String srcIntel;
    @Column(name = "dst_intel")
    public String dstIntel;
    public boolean acknowledged;
    @Column(name = "ack_by")
    public String ackBy;
    @Column(name = "ack_at")
    public Instant ackAt;
    @Column(name = "ack_note")
    public String ackNote;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
