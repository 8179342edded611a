package dev.tunewright.gateway.service;

import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.gateway.config.GatewayConfig;
import dev.tunewright.gateway.repository.ApiKey;
import dev.tunewright.gateway.repository.ApiKeyRepository;
import dev.tunewright.gateway.repository.Team;
import dev.tunewright.gateway.repository.TeamRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Teams and their keys. A team and its TeamCreated event commit together or not at all (outbox). */
@ApplicationScoped
public class TeamService {

    private static final Logger LOG = Logger.getLogger(TeamService.class);
    /** Team names appear in adapter namespaces ({@code acme/support-bot}) and URLs, so they stay plain. */
    public static final Pattern TEAM_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    /** A key as returned once, at creation; the only time its secret part exists outside the caller. */
    public record IssuedKey(ApiKey stored, String secret) {
    }

    public record CreatedTeam(Team team, IssuedKey key) {
    }

    /** A rotation: the new key, and the keys it replaces with the time each stops working. */
    public record Rotation(IssuedKey key, List<ApiKey> retiring) {
    }

    private final TeamRepository teams;
    private final ApiKeyRepository keys;
    private final Outbox outbox;
    private final ApiKeyAuthenticator authenticator;
    private final TransactionSynchronizationRegistry transactions;
    private final GatewayConfig config;
    private final Clock clock;

    public TeamService(TeamRepository teams, ApiKeyRepository keys, Outbox outbox, ApiKeyAuthenticator authenticator,
            TransactionSynchronizationRegistry transactions, GatewayConfig config, Clock clock) {
        this.clock = clock;
        this.transactions = transactions;
        this.config = config;
        this.teams = teams;
        this.keys = keys;
        this.outbox = outbox;
        this.authenticator = authenticator;
    }

    @Transactional
    public CreatedTeam createTeam(String name) {
        if (name == null || !TEAM_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_team_name", "name",
                    "team name must match " + TEAM_NAME.pattern() + " (2-63 lower-case letters, digits, '-')");
        }
        if (teams.findByName(name).isPresent()) {
            throw conflict(name);
        }
        Team team = new Team(UUID.randomUUID(), name, now());
        teams.persist(team);
        IssuedKey key = issue(team);
        outbox.enqueue(Topics.TEAMS, TeamCreated.of(team.id.toString(), team.name));
        try {
            teams.flush();
        } catch (PersistenceException e) {
            // A concurrent request created the same name between our check and our insert.
            throw conflict(name);
        }
        LOG.infof("created team %s (%s) with key %s", team.name, team.id, key.stored().prefix);
        return new CreatedTeam(team, key);
    }

    public List<Team> listTeams() {
        return teams.listByName();
    }

    @Transactional
    public IssuedKey createKey(String teamName) {
        IssuedKey key = issue(team(teamName));
        LOG.infof("issued key %s to team %s", key.stored().prefix, teamName);
        return key;
    }

    public List<ApiKey> listKeys(String teamName) {
        return keys.listForTeam(team(teamName).id);
    }

    /** Idempotent: revoking a revoked key answers its original revocation time. */
    @Transactional
    public ApiKey revoke(String keyId) {
        ApiKey key = parse(keyId).flatMap(keys::findByIdOptional)
                .orElseThrow(() -> ApiException.notFound("key", keyId));
        if (key.revokedAt == null) {
            key.revokedAt = now();
            LOG.infof("revoked key %s", key.prefix);
        }
        forgetAfterCommit(List.of(key.keyHash));
        return key;
    }

    /**
     * Rotation without downtime: issues a new key and lets the team's current keys (or only {@code keyId}) work for
     * {@code grace} more, after which they are refused. A key that already expires sooner keeps its earlier time.
     *
     * @param grace null for {@code tunewright.gateway.key-rotation-grace}; zero ends the old keys at once
     */
    @Transactional
    public Rotation rotate(String teamName, Duration grace, String keyId) {
        Team team = team(teamName);
        Duration period = grace == null ? config.keyRotationGrace() : grace;
        if (period.isNegative() || period.compareTo(config.keyRotationMaxGrace()) > 0) {
            throw ApiException.badRequest("invalid_grace_period", "grace_seconds", "grace_seconds must be 0 to "
                    + config.keyRotationMaxGrace().toSeconds() + " (tunewright.gateway.key-rotation-max-grace), was "
                    + period.toSeconds());
        }
        Instant now = now();
        List<ApiKey> current = keys.listForTeam(team.id).stream().filter(k -> k.activeAt(now)).toList();
        if (keyId != null) {
            current = current.stream().filter(k -> k.id.toString().equals(keyId)).toList();
            if (current.isEmpty()) {
                throw ApiException.notFound("key", keyId);
            }
        }
        Instant deadline = now.plus(period).truncatedTo(ChronoUnit.MICROS);
        for (ApiKey old : current) {
            if (old.expiresAt == null || old.expiresAt.isAfter(deadline)) {
                old.expiresAt = deadline;
            }
        }
        IssuedKey issued = issue(team);
        forgetAfterCommit(current.stream().map(k -> k.keyHash).toList());
        LOG.infof("rotated keys of team %s: new key %s, %d old key(s) work until %s", team.name, issued.stored().prefix,
                current.size(), deadline);
        return new Rotation(issued, current);
    }

    /** Forgets cached lookups only once the change is visible, or a concurrent lookup could re-cache the old state. */
    private void forgetAfterCommit(List<String> hashes) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                hashes.forEach(authenticator::forget);
            }
        });
    }

    private Team team(String name) {
        return teams.findByName(name).orElseThrow(() -> ApiException.notFound("team", name));
    }

    private IssuedKey issue(Team team) {
        String secret = ApiKeys.generate();
        ApiKey key = new ApiKey(UUID.randomUUID(), team.id, ApiKeys.displayPrefix(secret), ApiKeys.hash(secret),
                now());
        keys.persist(key);
        return new IssuedKey(key, secret);
    }

    private static ApiException conflict(String name) {
        return ApiException.conflict("team_exists", "team '" + name + "' already exists");
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** PostgreSQL keeps microseconds; truncating here makes what we answer equal what we store. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
