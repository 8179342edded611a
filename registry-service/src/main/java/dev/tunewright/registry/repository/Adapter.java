package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An adapter: every version a team registered under one name, with the name's description and tags. */
@Entity
@Table(name = "adapter")
public class Adapter {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String name;

    public String description;

    /** JSON array of strings. */
    @Column(nullable = false)
    public String tags = "[]";

    /** The highest version ever given under this name; the next registration gets one more. */
    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
