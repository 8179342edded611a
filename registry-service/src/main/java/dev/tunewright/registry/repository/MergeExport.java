package dev.tunewright.registry.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A merged full-model export of one version in one dtype, produced by the {@code merge} queue worker. */
@Entity
@Table(name = "merge_export")
public class MergeExport {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "version_id", nullable = false)
    public String versionId;

    /** {@code float32}, {@code bfloat16}, {@code float16}, or {@code auto} (each tensor keeps the base's dtype). */
    @Column(nullable = false)
    public String dtype;

    @Column(nullable = false)
    public String status;

    /** The merged model folder in the artifact store, once succeeded. */
    @Column(name = "artifact_id")
    public String artifactId;

    public Long bytes;

    public String error;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
