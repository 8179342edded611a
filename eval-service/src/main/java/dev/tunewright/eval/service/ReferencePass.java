package dev.tunewright.eval.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.reference.ReferenceClient;
import dev.tunewright.eval.repository.ExampleStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The reference model's answers to the held-out prompts, and the optional judge scores, from an OpenAI-compatible
 * endpoint: a few calls in flight at a time, stored as they come back. A call that still fails after its retries
 * is kept as an empty answer marked {@code error}; when more than a tenth fail, the reference is left out of the
 * result (with a note saying why) rather than judged on a broken sample.
 */
final class ReferencePass {

    /** Share of failed calls above which the reference is left out. */
    static final double MAX_FAILED_SHARE = 0.1;

    private final ReferenceClient client;
    private final EvalConfig.Reference config;
    private final ExampleStore examples;
    private final EvaluationRunner.Checkpoint check;

    ReferencePass(EvaluationOptions.Reference reference, String apiKey, EvalConfig.Reference config,
            ExampleStore examples, EvaluationRunner.Checkpoint check) {
        this.client = new ReferenceClient(reference.baseUrl(), reference.model(), apiKey, config.timeout(), config.retries());
        this.config = config;
        this.examples = examples;
        this.check = check;
    }

    /** Asks for the answers the examples lack; returns whether the reference is usable for the result. */
    boolean run(String evaluationId, List<HeldOutRows.Row> rows, int maxTokens, List<Integer> done, List<String> notes)
            throws Exception {
        Set<Integer> have = new HashSet<>(done);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!have.contains(i)) {
                missing.add(i);
            }
        }
        ExecutorService calls = Executors.newFixedThreadPool(Math.max(1, config.concurrency()));
        try {
            int chunk = Math.max(1, config.concurrency()) * 4;
            for (int from = 0; from < missing.size(); from += chunk) {
                check.now();
                List<Future<ExampleStore.Output>> pending = new ArrayList<>();
                for (int index : missing.subList(from, Math.min(missing.size(), from + chunk))) {
                    pending.add(calls.submit(() -> answer(index, rows.get(index), maxTokens)));
                }
                List<ExampleStore.Output> outputs = new ArrayList<>();
                for (Future<ExampleStore.Output> call : pending) {
                    outputs.add(call.get());
                }
                examples.addOutputs(evaluationId, outputs);
            }
        } finally {
            calls.shutdownNow();
        }
        List<ExampleStore.Output> answers = examples.outputs(evaluationId).stream()
                .filter(o -> o.model().equals(EvaluationResult.REFERENCE)).toList();
        long failed = answers.stream().filter(o -> o.finishReason().equals("error")).count();
        if (failed > MAX_FAILED_SHARE * rows.size()) {
            String first = answers.stream().filter(o -> o.finishReason().equals("error")).map(ExampleStore.Output::output)
                    .findFirst().orElse("");
            notes.add("the reference endpoint failed for " + failed + " of " + rows.size() + " examples (first: "
                    + first + "); it is left out of the comparison");
            return false;
        }
        if (failed > 0) {
            notes.add("the reference endpoint failed for " + failed + " of " + rows.size()
                    + " examples; those count as empty answers");
        }
        return true;
    }

    private ExampleStore.Output answer(int index, HeldOutRows.Row row, int maxTokens) throws InterruptedException {
        try {
            ReferenceClient.Answer a = client.complete(row.prompt(), maxTokens);
            String finish = "length".equals(a.finishReason()) ? "length" : "stop";
            return new ExampleStore.Output(index, EvaluationResult.REFERENCE, a.text(), finish, a.promptTokens(),
                    a.completionTokens(), a.latencyMs(), index, 1);
        } catch (java.io.IOException e) {
            // the failure's message in place of an answer: shown with the example, scored as empty
            return new ExampleStore.Output(index, EvaluationResult.REFERENCE, e.getMessage(), "error", null, null, 0,
                    index, 1);
        }
    }

    /**
     * Judge scores for each model's free-text answers that have none yet ({@link JudgeRubric}), kept in the
     * evaluation's progress as they arrive.
     */
    void judge(String evaluationId, List<HeldOutRows.Row> rows, Map<String, Map<Integer, ExampleStore.Output>> outputs,
            ObjectNode progress, boolean withReference, List<String> notes, Consumer<ObjectNode> save) throws Exception {
        List<String> roles = new ArrayList<>(List.of(EvaluationResult.BASE, EvaluationResult.FINE_TUNED));
        if (withReference) {
            roles.add(EvaluationResult.REFERENCE);
        }
        ObjectNode judged = progress.has("judge") ? (ObjectNode) progress.get("judge") : progress.putObject("judge");
        ExecutorService calls = Executors.newFixedThreadPool(Math.max(1, config.concurrency()));
        int unparsed = 0;
        try {
            for (String role : roles) {
                ObjectNode scores = judged.has(role) ? (ObjectNode) judged.get(role) : judged.putObject(role);
                List<Integer> missing = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (!scores.has(Integer.toString(i)) && outputs.get(role).containsKey(i)) {
                        missing.add(i);
                    }
                }
                int chunk = Math.max(1, config.concurrency()) * 4;
                for (int from = 0; from < missing.size(); from += chunk) {
                    check.now();
                    List<Integer> part = missing.subList(from, Math.min(missing.size(), from + chunk));
                    List<Future<Double>> pending = new ArrayList<>();
                    for (int index : part) {
                        HeldOutRows.Row row = rows.get(index);
                        String answer = outputs.get(role).get(index).output();
                        pending.add(calls.submit(() -> JudgeRubric.score(client.complete(
                                JudgeRubric.messages(row.prompt(), row.expected(), answer), 4).text())));
                    }
                    for (int k = 0; k < part.size(); k++) {
                        Double score;
                        try {
                            score = pending.get(k).get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            score = null;
                        }
                        if (score == null) {
                            unparsed++;
                        } else {
                            scores.put(Integer.toString(part.get(k)), score);
                        }
                    }
                    save.accept(progress);
                }
            }
        } finally {
            calls.shutdownNow();
        }
        if (unparsed > 0) {
            notes.add("the judge gave no usable grade for " + unparsed + " answers; they are left out of judge_score");
        }
    }
}
