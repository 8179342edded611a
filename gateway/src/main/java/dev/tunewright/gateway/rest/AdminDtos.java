package dev.tunewright.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tunewright.gateway.repository.ApiKey;
import dev.tunewright.gateway.repository.Team;
import dev.tunewright.gateway.service.TeamService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Wire shapes of the admin API and /v1/me; the CLI and the launcher are written against them. */
public final class AdminDtos {

    private AdminDtos() {
    }

    public record CreateTeamRequest(String name) {
    }

    public record TeamView(UUID id, String name, @JsonProperty("created_at") Instant createdAt) {
        static TeamView of(Team team) {
            return new TeamView(team.id, team.name, team.createdAt);
        }
    }

    public record NewKeyView(UUID id, String prefix, String key, @JsonProperty("created_at") Instant createdAt) {
        static NewKeyView of(TeamService.IssuedKey key) {
            return new NewKeyView(key.stored().id, key.stored().prefix, key.secret(), key.stored().createdAt);
        }
    }

    public record CreatedTeamView(UUID id, String name, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("api_key") NewKeyView apiKey) {
        static CreatedTeamView of(TeamService.CreatedTeam created) {
            return new CreatedTeamView(created.team().id, created.team().name, created.team().createdAt,
                    NewKeyView.of(created.key()));
        }
    }

    public record IssuedKeyView(UUID id, String prefix, String key, @JsonProperty("created_at") Instant createdAt,
            String team) {
        static IssuedKeyView of(TeamService.IssuedKey key, String team) {
            return new IssuedKeyView(key.stored().id, key.stored().prefix, key.secret(), key.stored().createdAt,
                    team);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KeyView(UUID id, String prefix, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("revoked_at") Instant revokedAt, @JsonProperty("expires_at") Instant expiresAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id, key.prefix, key.createdAt, key.revokedAt, key.expiresAt);
        }
    }

    /** Both fields optional: the default grace period, every current key of the team. */
    public record RotateKeysRequest(@JsonProperty("grace_seconds") Long graceSeconds, @JsonProperty("key_id") String keyId) {
    }

    /** The new key (its secret shown only here) and the keys it replaces, each with the time it stops working. */
    public record RotationView(String team, @JsonProperty("api_key") NewKeyView apiKey, List<KeyView> retiring) {
        static RotationView of(String team, TeamService.Rotation rotation) {
            return new RotationView(team, NewKeyView.of(rotation.key()),
                    rotation.retiring().stream().map(KeyView::of).toList());
        }
    }

    public record RevokedKeyView(UUID id, @JsonProperty("revoked_at") Instant revokedAt) {
    }

    public record ListView<T>(List<T> data) {
    }

    public record MeView(TeamRef team) {
    }

    public record TeamRef(String id, String name) {
    }
}
