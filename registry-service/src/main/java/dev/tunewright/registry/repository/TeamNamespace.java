package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The name under which a team's adapters are published, known from the gateway's TeamCreated event. */
@Entity
@Table(name = "team_namespace")
public class TeamNamespace {

    @Id
    @Column(name = "team_id")
    public String teamId;

    @Column(name = "team_name", nullable = false, unique = true)
    public String teamName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
