package dev.tunewright.dataset.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A job training on a dataset, as the job events told; active until the job ends. */
@Entity
@Table(name = "dataset_usage")
public class DatasetUsage {

    @Id
    @Column(name = "job_id")
    public String jobId;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
