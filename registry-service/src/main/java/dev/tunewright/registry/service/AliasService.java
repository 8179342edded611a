package dev.tunewright.registry.service;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.adapter.AdapterPromoted;
import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterAlias;
import dev.tunewright.registry.repository.AdapterAliasRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AliasMove;
import dev.tunewright.registry.repository.AliasMoveRepository;
import dev.tunewright.registry.repository.JobEvaluationRepository;
import dev.tunewright.registry.repository.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Moves and removes aliases. Gated aliases (production by default) move only through {@link PromotionGate}; every
 * move is audited and published as {@code adapter.promoted} in the same transaction (outbox). Moves of one adapter
 * are serialised by locking its row, so the gate compares against the version that really holds the alias.
 */
@ApplicationScoped
public class AliasService {

    private static final Logger LOG = Logger.getLogger(AliasService.class);

    /** An alias after a request: {@code move} is null when the alias already pointed there (nothing changed). */
    public record Outcome(Adapter adapter, AdapterAlias alias, AliasMove move) {
    }

    private final AdapterLookup lookup;
    private final AdapterAliasRepository aliases;
    private final AliasMoveRepository moves;
    private final JobEvaluationRepository evaluations;
    private final Outbox outbox;
    private final RegistryConfig config;

    public AliasService(AdapterLookup lookup, AdapterAliasRepository aliases, AliasMoveRepository moves,
            JobEvaluationRepository evaluations, Outbox outbox, RegistryConfig config) {
        this.lookup = lookup;
        this.aliases = aliases;
        this.moves = moves;
        this.evaluations = evaluations;
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional
    public Outcome move(TeamIdentity caller, String name, String alias, Integer version, String reason, boolean force) {
        AdapterNames.checkAlias(alias);
        if (version == null) {
            throw ApiException.badRequest("missing_field", "version", "version is required");
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (force && why == null) {
            throw ApiException.badRequest("missing_field", "reason", "force needs a reason; it is kept in the audit");
        }
        Adapter adapter = lookup.adapterForUpdate(caller.teamId(), name);
        AdapterVersion target = lookup.version(adapter, version);
        AdapterAlias current = aliases.of(adapter.id, alias).orElse(null);
        if (current != null && current.version == version) {
            return new Outcome(adapter, current, null);
        }
        List<String> overridden = List.of();
        if (config.gate().aliases().contains(alias)) {
            AdapterVersion holder = current == null ? null : lookup.version(adapter, current.version);
            PromotionGate.Decision decision = PromotionGate.decide(alias, facts(target),
                    holder == null ? null : facts(holder), config.gate().regressionMargin());
            if (!decision.blocking().isEmpty()) {
                throw ApiException.conflict("promotion_blocked", name + "@" + alias + " cannot move to version " + version
                        + ": " + String.join("; ", decision.blocking()));
            }
            if (!decision.refusals().isEmpty() && !force) {
                throw ApiException.conflict("promotion_refused", name + "@" + alias + " cannot move to version " + version
                        + ": " + String.join("; ", decision.refusals())
                        + " (\"force\": true with a \"reason\" overrides this, and is audited)");
            }
            overridden = decision.refusals();
        }
        Instant now = Instant.now();
        Integer from = current == null ? null : current.version;
        if (current == null) {
            current = new AdapterAlias();
            current.adapterId = adapter.id;
            current.alias = alias;
        }
        current.version = version;
        current.updatedAt = now;
        aliases.persist(current);
        AliasMove move = audit(caller, adapter, alias, from, version, why, overridden, now);
        outbox.enqueue(Topics.ADAPTERS, AdapterPromoted.of(adapter.teamId, adapter.id, adapter.name, alias, version, from,
                target.artifactId, target.fineTunedModel, why, move.forced));
        LOG.infof("%s@%s moved from %s to version %d by team %s%s", name, alias, from, version, caller.teamName(),
                move.forced ? " (forced past: " + String.join("; ", overridden) + ")" : "");
        return new Outcome(adapter, current, move);
    }

    @Transactional
    public Outcome remove(TeamIdentity caller, String name, String alias, String reason) {
        Adapter adapter = lookup.adapterForUpdate(caller.teamId(), name);
        AdapterAlias current = aliases.of(adapter.id, alias)
                .orElseThrow(() -> ApiException.notFound("alias", name + "@" + alias));
        aliases.delete(current);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        AliasMove move = audit(caller, adapter, alias, current.version, null, why, List.of(), Instant.now());
        outbox.enqueue(Topics.ADAPTERS, AdapterPromoted.of(adapter.teamId, adapter.id, adapter.name, alias, null,
                current.version, null, null, why, false));
        return new Outcome(adapter, null, move);
    }

    private PromotionGate.Facts facts(AdapterVersion v) {
        return VersionFacts.of(v, evaluations.verdictOf(v.teamId, v.jobId).orElse(null));
    }

    private AliasMove audit(TeamIdentity caller, Adapter adapter, String alias, Integer from, Integer to, String reason,
            List<String> overridden, Instant now) {
        AliasMove move = new AliasMove();
        move.adapterId = adapter.id;
        move.alias = alias;
        move.fromVersion = from;
        move.toVersion = to;
        move.actorTeamId = caller.teamId();
        move.actorTeamName = caller.teamName();
        move.reason = reason;
        move.forced = !overridden.isEmpty();
        move.overridden = JsonText.write(overridden);
        move.occurredAt = now;
        moves.persist(move);
        adapter.updatedAt = now;
        return move;
    }
}
