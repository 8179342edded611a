package dev.tunewright.eval.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A fine-tuned model as its job's {@code job.succeeded} announced it: what an {@code ft:} id stands for. */
@Entity
@Table(name = "fine_tuned_model")
public class FineTunedModel {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "base_model", nullable = false)
    public String baseModel;

    @Column(name = "adapter_artifact_id", nullable = false)
    public String adapterArtifactId;

    @Column(name = "train_artifact_id")
    public String trainArtifactId;

    @Column(name = "validation_artifact_id")
    public String validationArtifactId;

    @Column(name = "result_file_artifact_id")
    public String resultFileArtifactId;

    /** The event's lineage as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String lineage;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
