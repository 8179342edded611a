package dev.tunewright.eval.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code evaluation} (V1): what is compared, under which options, and the outcome once there is one. */
@Entity
@Table(name = "evaluation")
public class Evaluation {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** Started by a job's success, by a checkpoint of a job that asked for it, or by a request. */
    public static final String ORIGIN_JOB = "job";
    public static final String ORIGIN_CHECKPOINT = "checkpoint";
    public static final String ORIGIN_REQUEST = "request";

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String origin;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "checkpoint_step")
    public Long checkpointStep;

    @Column(name = "fine_tuned_model")
    public String fineTunedModel;

    @Column(name = "base_model", nullable = false)
    public String baseModel;

    @Column(name = "adapter_artifact_id", nullable = false)
    public String adapterArtifactId;

    @Column(nullable = false)
    public String split;

    @Column(name = "split_artifact_id", nullable = false)
    public String splitArtifactId;

    @Column(name = "result_file_artifact_id")
    public String resultFileArtifactId;

    @Column(name = "max_seq_length")
    public Integer maxSeqLength;

    /** {@link dev.tunewright.eval.service.EvaluationOptions} as JSON, without the reference's key. */
    @Column(nullable = false, columnDefinition = "text")
    public String options;

    /** The reference endpoint's API key, encrypted ({@link dev.tunewright.eval.service.KeyVault}). */
    @Column(name = "reference_key", columnDefinition = "text")
    public String referenceKey;

    @Column(nullable = false)
    public String status;

    /** What a resumed run must not redo (held-out losses so far), as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String progress = "{}";

    /** The report ({@link dev.tunewright.eval.service.EvaluationResult}) as JSON, once succeeded. */
    @Column(columnDefinition = "text")
    public String result;

    @Column(columnDefinition = "text")
    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
