package io.netwatch.gateway.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The latest record of one flow, with the columns the flow explorer filters on. */
@Entity
@Table(name = "flows")
public class StoredFlow extends PanacheEntityBase {
    @Id
    @Column(name = "flow_id")
    public String flowId;
    @Column(name = "probe_id")
    public String probeId;
    @Column(name = "first_seen")
    public Instant firstSeen;
    @Column(name = "last_seen")
    public Instant lastSeen;
    @Column(name = "update_seq")
    public int updateSeq;
    @Column(name = "record_type")
    public String recordType;
    @Column(name = "ip_proto")
    public short ipProto;
    public String transport;
    @Column(name = "src_ip")
    public String srcIp;
    @Column(name = "src_port")
    public Integer srcPort;
    @Column(name = "dst_ip")
    public String dstIp;
    @Column(name = "dst_port")
    public Integer dstPort;
    @Column(name = "app_protocol")
    public String appProtocol;
    @Column(name = "conn_state")
    public String connState;
    public long packets;
    public long bytes;
    @Column(name = "community_id")
    public String communityId;
    public String record;
}
