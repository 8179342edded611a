package dev.tunewright.dataset.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An artifact this service published into the shared store, and when it last did (see {@code OwnArtifacts}). */
@Entity
@Table(name = "stored_artifact")
public class StoredArtifact {

    @Id
    @Column(name = "artifact_id")
    public String artifactId;

    @Column(name = "stored_at", nullable = false)
    public Instant storedAt;
}
