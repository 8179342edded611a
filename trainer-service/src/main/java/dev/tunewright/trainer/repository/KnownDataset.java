package dev.tunewright.trainer.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A dataset the dataset service announced: its owner and its split artifacts, all a worker needs to read it. */
@Entity
@Table(name = "known_dataset")
public class KnownDataset {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "file_id")
    public String fileId;

    public String format;

    @Column(name = "train_rows", nullable = false)
    public long trainRows;

    @Column(name = "validation_rows", nullable = false)
    public long validationRows;

    @Column(name = "train_artifact_id", nullable = false)
    public String trainArtifactId;

    @Column(name = "validation_artifact_id", nullable = false)
    public String validationArtifactId;

    @Column(name = "ingested_at", nullable = false)
    public Instant ingestedAt;
}
