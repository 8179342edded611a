package dev.tunewright.eval.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.service.EvaluationOptions;
import dev.tunewright.eval.service.EvaluationResult;
import dev.tunewright.eval.service.EvaluationService;
import java.time.Instant;

/**
 * An evaluation as the API shows it: what was compared under which options, its state, and once succeeded the
 * result (models side by side, verdicts with intervals, classification breakdown, cost) at the top level. The
 * reference's key is never part of it, only whether one is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationView(String id, String object, String status, long createdAt, Long startedAt, Long finishedAt,
        String origin, String jobId, Long checkpointStep, String fineTunedModel, String baseModel,
        String adapterArtifactId, String split, Long queuePosition, String error, Options options,
        @JsonUnwrapped EvaluationResult result, String reportUrl) {

    /** The options as asked, with the reference reduced to where and whether a key was given. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Options(String taskType, double margin, int maxExamples, boolean jsonSchema, boolean judge,
            Reference reference, EvaluationOptions.Prices prices) {
    }

    public record Reference(String baseUrl, String model, boolean apiKeySet) {
    }

    static EvaluationView of(Evaluation e, Long queuePosition) {
        EvaluationOptions o = EvaluationService.read(e.options, EvaluationOptions.class);
        Options options = new Options(o.taskType() == null ? "auto" : o.taskType(), o.margin(), o.maxExamples(),
                o.jsonSchema() != null, o.judge(), o.reference() == null ? null
                        : new Reference(o.reference().baseUrl(), o.reference().model(), e.referenceKey != null),
                o.prices());
        EvaluationResult result = e.result == null ? null : EvaluationService.read(e.result, EvaluationResult.class);
        return new EvaluationView(e.id, "evaluation", e.status, e.createdAt.getEpochSecond(), seconds(e.startedAt),
                seconds(e.finishedAt), e.origin, e.jobId, e.checkpointStep, e.fineTunedModel, e.baseModel,
                e.adapterArtifactId, e.split, queuePosition, e.error, options, result,
                e.result == null ? null : "/v1/evaluations/" + e.id + "/report.html");
    }

    private static Long seconds(Instant time) {
        return time == null ? null : time.getEpochSecond();
    }
}
