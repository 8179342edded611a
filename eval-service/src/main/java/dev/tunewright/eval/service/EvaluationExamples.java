package dev.tunewright.eval.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.repository.ExampleStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The per-example view of an evaluation: pages of examples with each model's output and scores. */
@ApplicationScoped
public class EvaluationExamples {

    private static final TypeReference<List<Map<String, Object>>> MESSAGES = new TypeReference<>() { };
    private static final TypeReference<Map<String, Map<String, Double>>> SCORES = new TypeReference<>() { };

    private final ExampleStore store;

    public EvaluationExamples(ExampleStore store) {
        this.store = store;
    }

    /** A page and whether more follow. */
    public record Page(List<ExampleView> data, boolean hasMore) {
    }

    /**
     * Examples after index {@code after} (-1: from the first); with {@code disagreements}, only those where base and
     * fine-tuned score differently on the primary metric.
     */
    public Page page(Evaluation evaluation, int after, int limit, boolean disagreements) {
        String primary = primaryMetric(evaluation);
        List<ExampleView> out = new ArrayList<>();
        int cursor = after;
        int chunk = disagreements ? Math.max(200, limit * 4) : limit + 1;
        while (out.size() <= limit) {
            List<ExampleStore.Example> page = store.examples(evaluation.id, cursor, chunk);
            if (page.isEmpty()) {
                break;
            }
            List<ExampleView> views = views(evaluation.id, page);
            for (ExampleView view : views) {
                if (!disagreements || disagree(view, primary)) {
                    out.add(view);
                }
            }
            cursor = page.get(page.size() - 1).index();
        }
        boolean more = out.size() > limit;
        return new Page(more ? out.subList(0, limit) : out, more);
    }

    /**
     * The examples the fine-tuned model did worst on (lowest primary score first, and among equals those where it
     * fell furthest below the base): what a report shows a person first.
     */
    public List<ExampleView> worst(Evaluation evaluation, int count) {
        String primary = primaryMetric(evaluation);
        List<ExampleView> all = views(evaluation.id, store.examples(evaluation.id));
        Comparator<ExampleView> byScore = Comparator.comparingDouble(v -> score(v, EvaluationResult.FINE_TUNED, primary));
        return all.stream().sorted(byScore.thenComparingDouble(v -> score(v, EvaluationResult.FINE_TUNED, primary)
                - score(v, EvaluationResult.BASE, primary)).thenComparingInt(ExampleView::index)).limit(count).toList();
    }

    private List<ExampleView> views(String evaluationId, List<ExampleStore.Example> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Map<Integer, Map<String, ExampleView.Output>> outputs = new LinkedHashMap<>();
        for (ExampleStore.Output o : store.outputs(evaluationId, page.get(0).index() - 1, page.get(page.size() - 1).index())) {
            outputs.computeIfAbsent(o.index(), i -> new LinkedHashMap<>()).put(o.model(), new ExampleView.Output(o.output(),
                    o.finishReason(), o.promptTokens(), o.completionTokens(), o.latencyMs()));
        }
        List<ExampleView> views = new ArrayList<>(page.size());
        for (ExampleStore.Example e : page) {
            try {
                views.add(new ExampleView(e.index(), e.sourceLine(), EvaluationService.json().readValue(e.messages(), MESSAGES),
                        e.expected(), outputs.getOrDefault(e.index(), Map.of()),
                        e.scores() == null ? null : EvaluationService.json().readValue(e.scores(), SCORES)));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return views;
    }

    private static boolean disagree(ExampleView view, String primary) {
        if (view.scores() == null) {
            ExampleView.Output base = view.outputs().get(EvaluationResult.BASE);
            ExampleView.Output tuned = view.outputs().get(EvaluationResult.FINE_TUNED);
            return base != null && tuned != null && !Objects.equals(base.text().strip(), tuned.text().strip());
        }
        return score(view, EvaluationResult.BASE, primary) != score(view, EvaluationResult.FINE_TUNED, primary);
    }

    private static double score(ExampleView view, String role, String metric) {
        if (view.scores() == null || !view.scores().containsKey(role)) {
            return 0;
        }
        return view.scores().get(role).getOrDefault(metric, 0.0);
    }

    private static String primaryMetric(Evaluation evaluation) {
        return evaluation.result == null ? null
                : EvaluationService.read(evaluation.result, EvaluationResult.class).primaryMetric();
    }
}
