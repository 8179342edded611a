package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One registered adapter version: the job's adapter folder and the lineage its {@code job.succeeded} reported, plus
 * the serving-readiness verdict once it is checked. Immutable after registration except for the readiness fields.
 */
@Entity
@Table(name = "adapter_version")
public class AdapterVersion {

    /** Readiness not checked yet; promotion through the gate waits for it. */
    public static final String PENDING = "pending";
    public static final String PASSED = "passed";
    public static final String FAILED = "failed";

    @Id
    public String id;

    @Column(name = "adapter_id", nullable = false)
    public String adapterId;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public int version;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "fine_tuned_model")
    public String fineTunedModel;

    /** The folder manifest in the artifact store. */
    @Column(name = "artifact_id", nullable = false)
    public String artifactId;

    /** JSON object: file name to {@code sha256}, {@code bytes}, {@code artifact_id}, as the manifest lists them. */
    @Column(nullable = false)
    public String files;

    @Column(name = "adapter_bytes", nullable = false)
    public long adapterBytes;

    @Column(name = "base_model", nullable = false)
    public String baseModel;

    @Column(name = "base_model_revision")
    public String baseModelRevision;

    @Column(name = "base_weights_sha256")
    public String baseWeightsSha256;

    @Column(name = "base_tokenizer_sha256")
    public String baseTokenizerSha256;

    @Column(name = "dataset_id")
    public String datasetId;

    @Column(name = "dataset_sha256")
    public String datasetSha256;

    @Column(name = "train_artifact_id")
    public String trainArtifactId;

    @Column(name = "validation_artifact_id")
    public String validationArtifactId;

    /** JSON object: every resolved setting of the run. */
    @Column(nullable = false)
    public String hyperparameters;

    public Long seed;

    @Column(name = "engine_version")
    public String engineVersion;

    @Column(name = "trained_tokens")
    public Long trainedTokens;

    @Column(name = "final_train_loss")
    public Double finalTrainLoss;

    @Column(name = "final_validation_loss")
    public Double finalValidationLoss;

    @Column(name = "result_file_artifact_id")
    public String resultFileArtifactId;

    /** The adapter's {@code r}, known once its config was read by the readiness check. */
    @Column(name = "lora_rank")
    public Integer loraRank;

    @Column(name = "readiness_status", nullable = false)
    public String readinessStatus;

    /** JSON array of {@code {check, passed, reason}}. */
    @Column(name = "readiness_checks", nullable = false)
    public String readinessChecks = "[]";

    @Column(name = "readiness_checked_at")
    public Instant readinessCheckedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
