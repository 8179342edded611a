package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The evaluator's answer about a job's final adapter, stored by job so it may arrive before the registration. */
@Entity
@Table(name = "job_evaluation")
public class JobEvaluation {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "evaluation_id")
    public String evaluationId;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(nullable = false)
    public String status;

    public String verdict;

    @Column(name = "task_type")
    public String taskType;

    @Column(name = "primary_metric")
    public String primaryMetric;

    public Double difference;

    @Column(name = "difference_low")
    public Double differenceLow;

    @Column(name = "difference_high")
    public Double differenceHigh;

    /** JSON objects: metric name to value. */
    @Column(name = "base_metrics", nullable = false)
    public String baseMetrics = "{}";

    @Column(name = "tuned_metrics", nullable = false)
    public String tunedMetrics = "{}";

    @Column(name = "reference_model")
    public String referenceModel;

    @Column(name = "reference_metrics", nullable = false)
    public String referenceMetrics = "{}";

    @Column(name = "reference_verdict")
    public String referenceVerdict;

    /** Why a failed evaluation failed. */
    public String message;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
