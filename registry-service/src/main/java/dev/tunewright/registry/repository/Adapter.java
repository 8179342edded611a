package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One registered adapter version and its lineage. */
@Entity
@Table(name = "adapter")
public class Adapter {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int version;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    @Column(name = "base_model", nullable = false)
    public String baseModel;

    @Column(name = "artifact_id", nullable = false)
    public String artifactId;

    public String stage;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
