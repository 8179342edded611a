package dev.tunewright.registry.rest;

import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterAlias;
import dev.tunewright.registry.repository.AdapterAliasRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import dev.tunewright.registry.repository.AliasMove;
import dev.tunewright.registry.repository.JobEvaluation;
import dev.tunewright.registry.repository.JobEvaluationRepository;
import dev.tunewright.registry.repository.JsonText;
import dev.tunewright.registry.repository.MergeExport;
import dev.tunewright.registry.repository.MergeExportRepository;
import dev.tunewright.registry.service.BaseModels;
import dev.tunewright.registry.service.DeployRecipe;
import dev.tunewright.registry.service.VersionFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the API objects from the stored rows, reading what each object shows in as few queries as it can. */
@ApplicationScoped
public class AdapterViews {

    private final AdapterVersionRepository versions;
    private final JobEvaluationRepository evaluations;
    private final AdapterAliasRepository aliases;
    private final MergeExportRepository merges;
    private final RegistryConfig config;

    public AdapterViews(AdapterVersionRepository versions, JobEvaluationRepository evaluations,
            AdapterAliasRepository aliases, MergeExportRepository merges, RegistryConfig config) {
        this.versions = versions;
        this.evaluations = evaluations;
        this.aliases = aliases;
        this.merges = merges;
        this.config = config;
    }

    /** An adapter; with every version when {@code withVersions}, else with its newest only. */
    public Views.Adapter adapter(Adapter a, boolean withVersions) {
        List<AdapterVersion> all = withVersions ? versions.of(a.id) : versions.newest(a.id).map(List::of).orElse(List.of());
        Map<String, JobEvaluation> verdicts = evaluations.verdictsOf(a.teamId, all.stream().map(v -> v.jobId).toList());
        Map<String, Integer> aliasMap = new LinkedHashMap<>();
        aliases.of(a.id).forEach(l -> aliasMap.put(l.alias, l.version));
        List<Views.Version> summaries = all.stream().map(v -> summary(v, verdicts.get(v.jobId), aliasMap)).toList();
        return new Views.Adapter(a.id, "adapter", a.name, a.description, JsonText.strings(a.tags), a.latestVersion,
                aliasMap, summaries.isEmpty() ? null : summaries.get(0), seconds(a.createdAt), seconds(a.updatedAt),
                withVersions ? summaries : null);
    }

    public Views.VersionDetail version(Adapter a, AdapterVersion v) {
        JobEvaluation e = evaluations.verdictOf(v.teamId, v.jobId).orElse(null);
        String base = "/v1/adapters/" + a.name + "/versions/" + v.version;
        List<Views.Merge> exports = merges.of(v.id).stream().map(m -> merge(a, v, m)).toList();
        return new Views.VersionDetail(v.id, "adapter.version", a.name, a.id, v.version, v.fineTunedModel, v.jobId,
                aliasesOf(a, v.version),
                new Views.Artifact(v.artifactId, v.adapterBytes, JsonText.object(v.files), base + "/download"),
                new Views.Lineage(new Views.BaseModel(v.baseModel, v.baseModelRevision, v.baseWeightsSha256,
                        v.baseTokenizerSha256), new Views.Dataset(v.datasetId, v.datasetSha256, v.trainArtifactId,
                        v.validationArtifactId), JsonText.object(v.hyperparameters), v.seed, v.engineVersion, v.jobId),
                new Views.Training(v.trainedTokens, v.finalTrainLoss, v.finalValidationLoss, v.resultFileArtifactId),
                evaluation(e),
                new Views.Readiness(v.readinessStatus, v.loraRank, config.maxLoraRank(), VersionFacts.checks(v),
                        v.readinessCheckedAt == null ? null : seconds(v.readinessCheckedAt)),
                recipe(a, v), exports, seconds(v.createdAt));
    }

    public DeployRecipe recipe(Adapter a, AdapterVersion v) {
        return DeployRecipe.of(a.name, v.version, v.fineTunedModel, v.baseModel, v.baseModelRevision,
                BaseModels.isHub(v.baseModel), v.loraRank, config.maxLoraRank());
    }

    public Views.Merge merge(Adapter a, AdapterVersion v, MergeExport m) {
        String download = MergeExport.SUCCEEDED.equals(m.status)
                ? "/v1/adapters/" + a.name + "/versions/" + v.version + "/merges/" + m.id + "/download" : null;
        return new Views.Merge(m.id, "adapter.merge", v.version, m.dtype, m.status, m.bytes, m.artifactId, m.error,
                download, seconds(m.requestedAt), m.finishedAt == null ? null : seconds(m.finishedAt));
    }

    public Views.Alias moved(Adapter a, AdapterAlias alias, AliasMove move, String name) {
        Integer version = alias == null ? null : alias.version;
        Long updated = alias == null ? null : seconds(alias.updatedAt);
        return new Views.Alias("adapter.alias", a.name, name, version, updated, move != null,
                move == null ? null : move(move), null);
    }

    public Views.Alias alias(Adapter a, AdapterAlias alias, List<AliasMove> history) {
        List<Views.Move> moves = new ArrayList<>();
        history.forEach(m -> moves.add(move(m)));
        return new Views.Alias("adapter.alias", a.name, alias.alias, alias.version, seconds(alias.updatedAt), null, null,
                moves);
    }

    private static Views.Move move(AliasMove m) {
        return new Views.Move(m.fromVersion, m.toVersion, m.reason, m.forced, JsonText.strings(m.overridden),
                new Views.Actor(m.actorTeamId, m.actorTeamName), seconds(m.occurredAt));
    }

    private List<String> aliasesOf(Adapter a, int version) {
        return aliases.of(a.id).stream().filter(l -> l.version == version).map(l -> l.alias).toList();
    }

    private static Views.Version summary(AdapterVersion v, JobEvaluation e, Map<String, Integer> aliasMap) {
        List<String> held = aliasMap.entrySet().stream().filter(x -> x.getValue() == v.version).map(Map.Entry::getKey).toList();
        Double metric = e == null || e.primaryMetric == null ? null : JsonText.numbers(e.tunedMetrics).get(e.primaryMetric);
        return new Views.Version(v.id, v.version, v.jobId, v.fineTunedModel, v.baseModel, v.readinessStatus,
                e == null ? null : (JobEvaluation.COMPLETED.equals(e.status) ? e.verdict : "evaluation_failed"),
                e == null ? null : e.primaryMetric, metric, held, seconds(v.createdAt));
    }

    private static Views.Evaluation evaluation(JobEvaluation e) {
        return e == null ? null : new Views.Evaluation(e.evaluationId, e.status, e.verdict, e.taskType, e.primaryMetric,
                e.difference, e.differenceLow, e.differenceHigh, JsonText.numbers(e.baseMetrics),
                JsonText.numbers(e.tunedMetrics), e.referenceModel, JsonText.numbers(e.referenceMetrics),
                e.referenceVerdict, e.message, seconds(e.occurredAt));
    }

    static long seconds(Instant instant) {
        return instant.getEpochSecond();
    }
}
