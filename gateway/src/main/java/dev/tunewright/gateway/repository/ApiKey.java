package dev.tunewright.gateway.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A stored API key: its SHA-256 and display prefix, never the key itself. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(nullable = false)
    public String prefix;

    @Column(name = "key_hash", nullable = false, unique = true)
    public String keyHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Set when a rotation replaced the key: it works until then, for clients to switch over. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    protected ApiKey() {
    }

    /** Whether the key authenticates at {@code now}: neither revoked nor past its expiry. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public ApiKey(UUID id, UUID teamId, String prefix, String keyHash, Instant createdAt) {
        this.id = id;
        this.teamId = teamId;
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdAt = createdAt;
    }
}
