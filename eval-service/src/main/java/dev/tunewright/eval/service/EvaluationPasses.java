package dev.tunewright.eval.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TrainingData;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.train.Evaluation;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.model.ModelPool;
import dev.tunewright.eval.repository.ExampleStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The passes of base and fine-tuned over the held-out rows. Generation is greedy by default, batched with the KV
 * cache, longest prompts first so each batch pads little, with {@code max_new_tokens} from the longest reference
 * answer plus a margin; each batch's outputs are stored before the next starts. The held-out loss is the engine's
 * evaluation of the very examples training would build from these rows. The base is taken for one batch at a
 * time, so chat completions on the same base get their turns in between.
 */
final class EvaluationPasses {

    private final dev.tunewright.eval.repository.Evaluation evaluation;
    private final List<HeldOutRows.Row> rows;
    private final Path base;
    private final ModelPool pool;
    private final ExampleStore examples;
    private final ArtifactStore store;
    private final EvaluationLedger ledger;
    private final EvalConfig config;
    private final ObjectNode progress;
    private final EvaluationRunner.Checkpoint check;
    private int[][] prompts;
    private int maxNewTokens;
    private int contextLength;

    EvaluationPasses(dev.tunewright.eval.repository.Evaluation evaluation, List<HeldOutRows.Row> rows, Path base,
            ModelPool pool, ExampleStore examples, ArtifactStore store, EvaluationLedger ledger, EvalConfig config,
            ObjectNode progress, EvaluationRunner.Checkpoint check) {
        this.evaluation = evaluation;
        this.rows = rows;
        this.base = base;
        this.pool = pool;
        this.examples = examples;
        this.store = store;
        this.ledger = ledger;
        this.config = config;
        this.progress = progress;
        this.check = check;
    }

    /** The longest reference answer in tokens plus the margin, within the configured limit. */
    int maxNewTokens() throws Exception {
        prepare();
        return maxNewTokens;
    }

    private void prepare() throws Exception {
        if (prompts != null) {
            return;
        }
        pool.use(base, null, session -> {
            prompts = new int[rows.size()][];
            int longest = 1;
            for (int i = 0; i < rows.size(); i++) {
                try {
                    prompts[i] = session.prompt(rows.get(i).prompt());
                } catch (IllegalArgumentException e) {
                    throw new EvaluationException(evaluation.split + " split line " + rows.get(i).line() + ": " + e.getMessage());
                }
                longest = Math.max(longest, session.tokenCount(rows.get(i).expected()));
            }
            EvalConfig.Generation g = config.generation();
            maxNewTokens = Math.min(g.maxNewTokensLimit(), longest + g.maxNewTokensMargin());
            contextLength = session.contextLength();
            return null;
        });
    }

    /** Generates the outputs of {@code role} the examples do not have yet, batch by batch. */
    void generate(String role, String adapterArtifactId, Set<Integer> done) throws Exception {
        prepare();
        List<Integer> missing = IntStream.range(0, rows.size()).filter(i -> !done.contains(i)).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -prompts[i].length).thenComparingInt(i -> i)).toList();
        int batchSize = config.generation().batchSize();
        for (int from = 0; from < missing.size(); from += batchSize) {
            check.now();
            List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + batchSize));
            int longest = batch.stream().mapToInt(i -> prompts[i].length).max().orElse(0);
            int budget = Math.min(maxNewTokens, contextLength - longest);
            List<ExampleStore.Output> outputs = budget < 1 ? tooLong(role, batch) : pool.use(base, adapterArtifactId,
                    session -> {
                        long startedAt = System.nanoTime();
                        List<Generation> generated = session.generate(batch.stream().map(i -> prompts[i]).toList(),
                                session.greedy(budget), null);
                        double latencyMs = (System.nanoTime() - startedAt) / 1e6;
                        List<ExampleStore.Output> out = new ArrayList<>();
                        for (int k = 0; k < batch.size(); k++) {
                            Generation g = generated.get(k);
                            int index = batch.get(k);
                            out.add(new ExampleStore.Output(index, role, session.decode(g.tokenIds()),
                                    g.finishReason().wireName(), prompts[index].length, g.tokenIds().length, latencyMs,
                                    batch.get(0), batch.size()));
                        }
                        return out;
                    });
            examples.addOutputs(evaluation.id, outputs);
        }
    }

    private List<ExampleStore.Output> tooLong(String role, List<Integer> batch) {
        return batch.stream().map(i -> new ExampleStore.Output(i, role, "", "length", prompts[i].length, 0, 0,
                batch.get(0), batch.size())).toList();
    }

    /** The held-out loss of {@code role} over the rows' trained tokens, measured once per evaluation. */
    void loss(String role, String adapterArtifactId) throws Exception {
        if (progress.path("loss").has(role)) {
            return;
        }
        check.now();
        Set<Long> lines = new HashSet<>();
        rows.forEach(r -> lines.add(r.line()));
        Path split = store.localPath(evaluation.splitArtifactId);
        int maxSeqLength = evaluation.maxSeqLength != null ? evaluation.maxSeqLength : config.generation().maxSeqLength();
        List<PackedSequence> sequences = pool.use(base, null, session -> {
            List<PackedSequence> out = new ArrayList<>();
            TrainingData.stream(split, session.encoder(maxSeqLength), example -> {
                if (lines.contains(example.sourceLine())) {
                    out.add(PackedSequence.of(example));
                }
            });
            return out;
        });
        int batchSize = config.generation().batchSize();
        int chunk = batchSize * 4;
        double lossSum = 0;
        double correct = 0;
        long tokens = 0;
        for (int from = 0; from < sequences.size(); from += chunk) {
            check.now();
            List<PackedSequence> part = sequences.subList(from, Math.min(sequences.size(), from + chunk));
            Evaluation scored = pool.use(base, adapterArtifactId, session -> session.score(part, batchSize));
            lossSum += scored.loss() * scored.tokens();
            correct += scored.accuracy() * scored.tokens();
            tokens += scored.tokens();
        }
        ObjectNode losses = progress.has("loss") ? (ObjectNode) progress.get("loss") : progress.putObject("loss");
        ObjectNode entry = losses.putObject(role);
        if (tokens > 0) {
            entry.put("loss", lossSum / tokens).put("token_accuracy", correct / tokens);
        }
        entry.put("tokens", tokens).put("examples", sequences.size());
        ledger.progress(evaluation.id, progress.toString());
    }
}
