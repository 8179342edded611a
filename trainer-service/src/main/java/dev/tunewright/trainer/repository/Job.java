package dev.tunewright.trainer.repository;

import dev.tunewright.trainer.service.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Convert;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A fine-tuning job; see V1__jobs.sql for what each column means. */
@Entity
@Table(name = "job")
public class Job {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "team_name", nullable = false)
    public String teamName;

    @Convert(converter = JobStatus.Column.class)
    @Column(nullable = false)
    public JobStatus status;

    @Column(nullable = false)
    public String model;

    @Column(name = "model_source", nullable = false)
    public String modelSource;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "model_revision")
    public String modelRevision;

    @Column(name = "training_file", nullable = false)
    public String trainingFile;

    @Column(name = "validation_file")
    public String validationFile;

    @Column(name = "dataset_id", nullable = false)
    public String datasetId;

    public String suffix;

    @Column(nullable = false)
    public long seed;

    @Column(nullable = false)
    public String requested;

    public String settings;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, String> metadata;

    @Column(name = "stop_request")
    public String stopRequest;

    @Column(nullable = false)
    public int attempts;

    @Column(nullable = false)
    public int step;

    @Column(name = "total_steps")
    public Integer totalSteps;

    public Double epoch;

    @Column(name = "step_seconds")
    public Double stepSeconds;

    @Column(name = "trained_tokens")
    public Long trainedTokens;

    @Column(name = "fine_tuned_model")
    public String fineTunedModel;

    @Column(name = "adapter_artifact_id")
    public String adapterArtifactId;

    @Column(name = "result_artifact_id")
    public String resultArtifactId;

    public String lineage;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "error_param")
    public String errorParam;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
