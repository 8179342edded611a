package dev.tunewright.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tunewright.registry.readiness.ServingReadiness;
import dev.tunewright.registry.service.DeployRecipe;
import java.util.List;
import java.util.Map;

/** The registry's API objects (snake_case on the wire, times in Unix seconds as OpenAI's objects have them). */
public final class Views {

    private Views() {
    }

    /** An adapter; {@code versions} only when one adapter is asked for. */
    public record Adapter(String id, String object, String name, String description, List<String> tags,
            int latestVersion, Map<String, Integer> aliases, Version latest, long createdAt, long updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Version> versions) {
    }

    /** A version in short, as adapters list them. */
    public record Version(String id, int version, String jobId, String fineTunedModel, String baseModel,
            String readiness, String verdict, String primaryMetric, Double primaryMetricValue, List<String> aliases,
            long createdAt) {
    }

    /** One version with everything the registry knows about it. */
    public record VersionDetail(String id, String object, String adapter, String adapterId, int version,
            String fineTunedModel, String jobId, List<String> aliases, Artifact artifact, Lineage lineage,
            Training training, Evaluation evaluation, Readiness readiness, DeployRecipe recipe, List<Merge> merges,
            long createdAt) {
    }

    /** @param files file name to {@code sha256}, {@code bytes} and {@code artifact_id} */
    public record Artifact(String id, long bytes, Map<String, Object> files, String downloadUrl) {
    }

    public record Lineage(BaseModel baseModel, Dataset dataset, Map<String, Object> hyperparameters, Long seed,
            String engineVersion, String jobId) {
    }

    public record BaseModel(String id, String revision, String weightsSha256, String tokenizerSha256) {
    }

    public record Dataset(String id, String sha256, String trainArtifactId, String validationArtifactId) {
    }

    public record Training(Long trainedTokens, Double finalTrainLoss, Double finalValidationLoss,
            String resultFileArtifactId) {
    }

    public record Evaluation(String id, String status, String verdict, String taskType, String primaryMetric,
            Double difference, Double differenceLow, Double differenceHigh, Map<String, Double> baseMetrics,
            Map<String, Double> tunedMetrics, String referenceModel, Map<String, Double> referenceMetrics,
            String referenceVerdict, String message, long completedAt) {
    }

    public record Readiness(String status, Integer loraRank, int maxLoraRank, List<ServingReadiness.Check> checks,
            Long checkedAt) {
    }

    public record Merge(String id, String object, int version, String dtype, String status, Long bytes,
            String artifactId, String error, String downloadUrl, long requestedAt, Long finishedAt) {
    }

    /**
     * An alias: after a move, {@code changed} and the {@code move}; when read, its {@code history}, newest first.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alias(String object, String adapter, String alias, Integer version, Long updatedAt, Boolean changed,
            Move move, List<Move> history) {
    }

    /** @param movedBy the team that moved it (the gateway does not forward which of its API keys) */
    public record Move(Integer fromVersion, Integer toVersion, String reason, boolean forced, List<String> overridden,
            Actor movedBy, long movedAt) {
    }

    public record Actor(String teamId, String teamName) {
    }
}
