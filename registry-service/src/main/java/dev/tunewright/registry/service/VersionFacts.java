package dev.tunewright.registry.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tunewright.registry.readiness.ServingReadiness;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.JobEvaluation;
import dev.tunewright.registry.repository.JsonText;
import java.util.List;

/** Reads the stored readiness checks and evaluation of a version into the shapes the gate and the views use. */
public final class VersionFacts {

    private VersionFacts() {
    }

    public static List<ServingReadiness.Check> checks(AdapterVersion v) {
        return JsonText.read(v.readinessChecks, new TypeReference<>() { });
    }

    /** Null for null. */
    public static PromotionGate.Evaluation evaluation(JobEvaluation e) {
        return e == null ? null : new PromotionGate.Evaluation(e.evaluationId, JobEvaluation.COMPLETED.equals(e.status),
                e.verdict, e.primaryMetric, JsonText.numbers(e.tunedMetrics), e.message);
    }

    public static PromotionGate.Facts of(AdapterVersion v, JobEvaluation evaluation) {
        return new PromotionGate.Facts(v.version, v.readinessStatus, ServingReadiness.failures(checks(v)),
                evaluation(evaluation));
    }
}
