package dev.tunewright.trainer.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A checkpoint of a job, stored and verified in the artifact store. */
@Entity
@Table(name = "job_checkpoint")
public class JobCheckpoint {

    @Id
    public String id;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(nullable = false)
    public int step;

    /** The whole checkpoint folder (what a resume copies back). */
    @Column(name = "checkpoint_artifact_id", nullable = false)
    public String checkpointArtifactId;

    /** The checkpoint's adapter alone, PEFT layout (what its content endpoint zips). */
    @Column(name = "adapter_artifact_id", nullable = false)
    public String adapterArtifactId;

    /** OpenAI's checkpoint metrics object as JSON text. */
    @Column(nullable = false)
    public String metrics;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
