package dev.tunewright.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.contracts.evaluation.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static PromotionGate.Evaluation completed(String verdict, String metric, double value) {
        return new PromotionGate.Evaluation("eval-" + value, true, verdict, metric, Map.of(metric, value), null);
    }

    private static PromotionGate.Facts ready(int version, PromotionGate.Evaluation evaluation) {
        return new PromotionGate.Facts(version, "passed", List.of(), evaluation);
    }

    @Test
    void anImprovedReadyVersionPasses() {
        PromotionGate.Decision d = PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "accuracy", 0.9)),
                null, 0.01);
        assertThat(d.allowed()).isTrue();
    }

    @Test
    void noEvaluationAFailedOneOrNoImprovementIsARefusalForceMayOverride() {
        assertThat(PromotionGate.decide("production", ready(1, null), null, 0.01).refusals()).singleElement()
                .asString().contains("has no evaluation");
        PromotionGate.Evaluation failed = new PromotionGate.Evaluation("eval-9", false, null, null, Map.of(), "split missing");
        assertThat(PromotionGate.decide("production", ready(1, failed), null, 0.01).refusals()).singleElement()
                .asString().contains("eval-9 failed (split missing)");
        PromotionGate.Decision flat = PromotionGate.decide("production",
                ready(1, completed(Verdict.NO_SIGNIFICANT_IMPROVEMENT, "accuracy", 0.5)), null, 0.01);
        assertThat(flat.blocking()).isEmpty();
        assertThat(flat.refusals()).singleElement().asString().contains("says no_significant_improvement");
    }

    @Test
    void aFailedOrPendingReadinessCheckBlocksWhateverTheEvaluationSays() {
        PromotionGate.Facts failed = new PromotionGate.Facts(3, "failed", List.of("rank: LoRA rank 32 is greater than max_lora_rank 16"),
                completed(Verdict.IMPROVED, "accuracy", 0.9));
        assertThat(PromotionGate.decide("production", failed, null, 0.01).blocking()).singleElement().asString()
                .contains("fails the serving-readiness check (rank: LoRA rank 32");
        PromotionGate.Facts pending = new PromotionGate.Facts(3, "pending", List.of(), null);
        PromotionGate.Decision d = PromotionGate.decide("production", pending, null, 0.01);
        assertThat(d.blocking()).singleElement().asString().contains("not finished");
        assertThat(d.refusals()).hasSize(1);
    }

    @Test
    void aRegressionPastTheMarginAgainstTheHolderIsRefusedInTheMetricsOwnDirection() {
        PromotionGate.Facts holder = ready(1, completed(Verdict.IMPROVED, "accuracy", 0.90));
        assertThat(PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "accuracy", 0.895)), holder, 0.01)
                .allowed()).as("within the margin").isTrue();
        assertThat(PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "accuracy", 0.85)), holder, 0.01)
                .refusals()).singleElement().asString()
                .contains("regresses against version 1", "accuracy 0.8500 against 0.9000", "worse by 0.05000");

        PromotionGate.Facts lossHolder = ready(1, completed(Verdict.IMPROVED, "eval_loss", 1.0));
        assertThat(PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "eval_loss", 0.8)), lossHolder, 0.01)
                .allowed()).as("a lower loss is better").isTrue();
        assertThat(PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "eval_loss", 1.2)), lossHolder, 0.01)
                .allowed()).isFalse();
        PromotionGate.Facts otherMetric = ready(1, completed(Verdict.IMPROVED, "rouge_l", 0.2));
        assertThat(PromotionGate.decide("production", ready(2, completed(Verdict.IMPROVED, "accuracy", 0.1)), otherMetric, 0.01)
                .allowed()).as("nothing comparable").isTrue();
    }
}
