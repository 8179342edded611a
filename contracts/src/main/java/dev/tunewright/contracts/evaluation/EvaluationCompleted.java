package dev.tunewright.contracts.evaluation;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Base and fine-tuned model were scored on the same held-out split; metrics map names to values for both.
 *
 * @param checkpointStep      the checkpoint evaluated, null for the job's final adapter
 * @param taskType            {@code classification}, {@code structured} or {@code free_text}
 * @param primaryMetric       the metric the verdict rests on (a key of both metric maps)
 * @param verdict             see {@link Verdict}
 * @param difference          fine-tuned minus base on the primary metric
 * @param differenceLow       lower end of the paired bootstrap 95% interval of {@code difference}
 * @param differenceHigh      upper end of that interval
 * @param referenceModel      the reference model compared against, null when there was none
 * @param referenceMetrics    its metrics, empty when there was none
 * @param referenceVerdict    fine-tuned against the reference, in {@link Verdict}'s words; null without one
 */
public record EvaluationCompleted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String evaluationId,
        String jobId,
        String adapterArtifactId,
        String baseModel,
        Map<String, Double> baseMetrics,
        Map<String, Double> tunedMetrics,
        String verdict,
        Long checkpointStep,
        String taskType,
        String primaryMetric,
        Double difference,
        Double differenceLow,
        Double differenceHigh,
        String referenceModel,
        Map<String, Double> referenceMetrics,
        String referenceVerdict) implements EvaluationEvent {

    public EvaluationCompleted {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, evaluationId);
        baseMetrics = baseMetrics == null ? Map.of() : Map.copyOf(baseMetrics);
        tunedMetrics = tunedMetrics == null ? Map.of() : Map.copyOf(tunedMetrics);
        referenceMetrics = referenceMetrics == null ? Map.of() : Map.copyOf(referenceMetrics);
    }

    /** The comparison of fine-tuned against base (and optionally a reference) that an evaluation ends with. */
    public record Outcome(String taskType, String primaryMetric, Map<String, Double> baseMetrics,
            Map<String, Double> tunedMetrics, String verdict, Double difference, Double differenceLow,
            Double differenceHigh, String referenceModel, Map<String, Double> referenceMetrics, String referenceVerdict) {
    }

    public static EvaluationCompleted of(String teamId, String evaluationId, String jobId, Long checkpointStep,
            String adapterArtifactId, String baseModel, Outcome outcome) {
        return new EvaluationCompleted(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, evaluationId,
                jobId, adapterArtifactId, baseModel, outcome.baseMetrics(), outcome.tunedMetrics(), outcome.verdict(),
                checkpointStep, outcome.taskType(), outcome.primaryMetric(), outcome.difference(), outcome.differenceLow(),
                outcome.differenceHigh(), outcome.referenceModel(), outcome.referenceMetrics(), outcome.referenceVerdict());
    }

    @Override
    public String subjectId() {
        return evaluationId;
    }
}
