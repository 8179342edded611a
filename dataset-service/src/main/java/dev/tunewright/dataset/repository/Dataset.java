package dev.tunewright.dataset.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A dataset version: one file split under fixed options; immutable once written. */
@Entity
@Table(name = "dataset")
public class Dataset {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(name = "file_id", nullable = false)
    public String fileId;

    @Column(name = "validation_file_id")
    public String validationFileId;

    /** The effective options (defaults filled in) as JSON text; part of the id. */
    @Column(nullable = false)
    public String options;

    @Column(nullable = false)
    public String format;

    @Column(name = "train_artifact_id", nullable = false)
    public String trainArtifactId;

    @Column(name = "validation_artifact_id", nullable = false)
    public String validationArtifactId;

    @Column(name = "train_rows", nullable = false)
    public long trainRows;

    @Column(name = "validation_rows", nullable = false)
    public long validationRows;

    /** Statistics as JSON text. */
    @Column(nullable = false)
    public String stats;

    /** Every problem and skipped or removed line, as JSON text. */
    @Column(nullable = false)
    public String report;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
