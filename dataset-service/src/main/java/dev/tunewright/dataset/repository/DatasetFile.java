package dev.tunewright.dataset.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An accepted upload; the bytes are the artifact {@link #artifactId}. */
@Entity
@Table(name = "dataset_file")
public class DatasetFile {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String filename;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "artifact_id", nullable = false)
    public String artifactId;

    /**
     * The row index written at upload (see {@code RowIndex}), so that datasets are cut without parsing the file
     * again; null for files uploaded before indexes existed, which are scanned instead.
     */
    @Column(name = "row_index_artifact_id")
    public String rowIndexArtifactId;

    @Column(nullable = false)
    public String format;

    @Column(nullable = false)
    public long lines;

    @Column(name = "valid_rows", nullable = false)
    public long validRows;

    @Column(name = "skipped_lines", nullable = false)
    public long skippedLines;

    /** The validation report as JSON text. */
    @Column(nullable = false)
    public String report;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
