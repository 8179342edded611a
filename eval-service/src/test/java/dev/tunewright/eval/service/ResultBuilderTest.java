package dev.tunewright.eval.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tunewright.contracts.evaluation.Verdict;
import dev.tunewright.eval.repository.ExampleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The result of stored outputs: run statistics, verdicts and the cost table against hand-computed values. */
class ResultBuilderTest {

    static final EvaluationOptions.Prices PRICES = new EvaluationOptions.Prices("USD", 2.0, 1.0, 4.0);

    @Test
    void statisticsVerdictsAndCostFromTheStoredOutputs() {
        List<String> expected = List.of("red", "green", "blue", "red");
        // base: right once, in two batches of 2 taking 100 ms and 300 ms, 3 tokens each, one hit the length limit
        List<ExampleStore.Output> base = List.of(out(0, "base", "red", "stop", 3, 100, 0),
                out(1, "base", "red", "stop", 3, 100, 0), out(2, "base", "red", "length", 3, 300, 2),
                out(3, "base", "blue", "stop", 3, 300, 2));
        List<ExampleStore.Output> tuned = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tuned.add(out(i, "fine_tuned", expected.get(i), "stop", 2, 200, 0));
        }
        // the reference: one call per example, 10 tokens in and 2 out each
        List<ExampleStore.Output> reference = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reference.add(new ExampleStore.Output(i, "reference", expected.get(i), "stop", 10, 2, 50, i, 1));
        }
        EvaluationOptions options = new EvaluationOptions("classification", 0.02, 100, null, false, null, PRICES);
        ResultBuilder.Built built = ResultBuilder.build(expected, options, 500, 10, List.of(
                new ResultBuilder.ModelRun("base", "tiny", base, 1.5, Map.of()),
                new ResultBuilder.ModelRun("fine_tuned", "ft:tiny:a:b:c", tuned, 0.5, Map.of()),
                new ResultBuilder.ModelRun("reference", "big", reference, null, Map.of())), List.of("a note"));
        EvaluationResult r = built.result();
        Map<String, Double> b = r.models().get("base").metrics();
        assertThat(r.taskType()).isEqualTo("classification");
        assertThat(b.get("accuracy")).isEqualTo(0.25);
        assertThat(b.get("stop_rate")).isEqualTo(0.75);
        assertThat(b.get("latency_ms_p50")).isEqualTo(200.0);
        // batches counted once: 12 tokens in 0.4 s, 4 examples in 0.4 s
        assertThat(b.get("tokens_per_second")).isCloseTo(30.0, within(1e-9));
        assertThat(b.get("examples_per_second")).isCloseTo(10.0, within(1e-9));
        assertThat(b.get("perplexity")).isCloseTo(Math.exp(1.5), within(1e-12));
        assertThat(r.verdict().result()).as("3 of 4 more right: every resample improves").isEqualTo(Verdict.IMPROVED);
        assertThat(r.verdict().difference()).isEqualTo(0.75);
        assertThat(r.referenceVerdict().result()).isEqualTo(Verdict.NO_SIGNIFICANT_IMPROVEMENT);
        // cost: base 36,000 items/h, 27.78 device-hours per 1M items at 2.0 = 55.56; fine-tuned 4 in 0.2 s = 72,000/h
        EvaluationResult.CostRow baseCost = r.cost().rows().get(0);
        assertThat(baseCost.itemsPerHour()).isCloseTo(36000.0, within(1e-6));
        assertThat(baseCost.costPerMillionItems()).isCloseTo(1e6 / 36000 * 2.0, within(1e-9));
        assertThat(r.cost().rows().get(1).costPerMillionItems()).isCloseTo(1e6 / 72000 * 2.0, within(1e-9));
        // reference: 10 input tokens at 1.0 and 2 output at 4.0 per 1M tokens, so 18 per 1M items
        assertThat(r.cost().rows().get(2).costPerMillionItems()).isCloseTo(18.0, within(1e-9));
        assertThat(r.notes()).containsExactly("a note");
        assertThat(built.perExample().get(1).get("base")).containsEntry("accuracy", 0.0);
        assertThat(built.perExample().get(1).get("fine_tuned")).containsEntry("accuracy", 1.0);
    }

    @Test
    void theJudgeRubricReadsAGradeOrNothing() {
        assertThat(JudgeRubric.score("4")).isEqualTo(0.75);
        assertThat(JudgeRubric.score(" Grade: 5.")).isEqualTo(1.0);
        assertThat(JudgeRubric.score("no idea")).isNull();
        assertThat(JudgeRubric.messages(List.of(Map.of("role", "user", "content", "q")), "ref", "ans").get(0).get("content"))
                .asString().contains(JudgeRubric.VERSION);
    }

    private static ExampleStore.Output out(int index, String role, String text, String finish, int tokens, double latency,
            int batch) {
        return new ExampleStore.Output(index, role, text, finish, 5, tokens, latency, batch, 2);
    }
}
