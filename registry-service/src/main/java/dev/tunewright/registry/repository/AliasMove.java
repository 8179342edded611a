package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The audit record of one alias move or removal; never updated or deleted. */
@Entity
@Table(name = "alias_move")
public class AliasMove {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "adapter_id", nullable = false)
    public String adapterId;

    @Column(nullable = false)
    public String alias;

    @Column(name = "from_version")
    public Integer fromVersion;

    /** Null when the alias was removed. */
    @Column(name = "to_version")
    public Integer toVersion;

    @Column(name = "actor_team_id", nullable = false)
    public String actorTeamId;

    @Column(name = "actor_team_name", nullable = false)
    public String actorTeamName;

    public String reason;

    @Column(nullable = false)
    public boolean forced;

    /** JSON array of the gate's refusals that {@code force} overrode. */
    @Column(nullable = false)
    public String overridden = "[]";

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
