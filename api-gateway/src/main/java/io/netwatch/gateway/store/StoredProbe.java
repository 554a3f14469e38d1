package io.netwatch.gateway.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The latest status a probe reported, so probes are listed even when none is running. */
@Entity
@Table(name = "probes")
public class StoredProbe extends PanacheEntityBase {
    @Id
    @Column(name = "probe_id")
    public String probeId;
    public String state;
    public String mode;
    @Column(name = "updated_at")
    public Instant updatedAt;
    public String status;
}
