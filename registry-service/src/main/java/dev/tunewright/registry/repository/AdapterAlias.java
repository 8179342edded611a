package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An alias of an adapter (production, staging, any name) and the one version it points to. */
@Entity
@Table(name = "adapter_alias")
public class AdapterAlias {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "adapter_id", nullable = false)
    public String adapterId;

    @Column(nullable = false)
    public String alias;

    @Column(nullable = false)
    public int version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
