package dev.tunewright.dataset.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A strict-mode rejection: who uploaded what and why it was refused; the content itself is not kept. */
@Entity
@Table(name = "rejected_upload")
public class RejectedUpload {

    @Id
    public String id;

    @Column(name = "team_id", nullable = false)
    public String teamId;

    @Column(nullable = false)
    public String filename;

    @Column(nullable = false)
    public long bytes;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "problem_count", nullable = false)
    public long problemCount;

    @Column(nullable = false)
    public String report;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
