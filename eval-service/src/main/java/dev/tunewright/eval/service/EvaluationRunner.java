package dev.tunewright.eval.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.LeaseGuard;
import dev.tunewright.common.queue.LeaseLostException;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.model.ModelPool;
import dev.tunewright.eval.model.ModelUnavailableException;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.repository.ExampleStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs one evaluation from the work queue: the held-out rows once, then each model's outputs batch by batch (kept
 * as they come, so a resumed run generates only what is missing), the held-out losses, the optional reference and
 * judge, and finally the result, its event and the end of the queue item in one transaction. An evaluation that
 * cannot succeed as asked fails at once; one that fails unexpectedly goes back to the queue until its attempts
 * are used up.
 */
@ApplicationScoped
public class EvaluationRunner {

    private static final Logger LOG = Logger.getLogger(EvaluationRunner.class);

    /** The worker is shutting down: the evaluation goes back to the queue for another worker to resume. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("worker shutting down", null, false, false);
        }
    }

    private final EvaluationLedger ledger;
    private final ExampleStore examples;
    private final ArtifactStore store;
    private final ModelPool pool;
    private final WorkQueue queue;
    private final KeyVault vault;
    private final EvalConfig config;

    public EvaluationRunner(EvaluationLedger ledger, ExampleStore examples, ArtifactStore store, ModelPool pool,
            WorkQueue queue, KeyVault vault, EvalConfig config) {
        this.ledger = ledger;
        this.examples = examples;
        this.store = store;
        this.pool = pool;
        this.queue = queue;
        this.vault = vault;
        this.config = config;
    }

    /** The work of one queue item ({@link dev.tunewright.common.queue.QueueWorker.Item}). */
    public void run(Lease lease, LeaseGuard guard) throws Exception {
        Evaluation evaluation = ledger.start(lease);
        if (evaluation == null) {
            return;
        }
        try {
            evaluate(evaluation, lease, guard);
        } catch (Stopped stopped) {
            queue.release(lease, Duration.ZERO, "worker shut down; resumes where it stopped");
            LOG.infof("evaluation %s given back to the queue", evaluation.id);
        } catch (LeaseLostException lost) {
            throw lost;
        } catch (EvaluationException | ModelUnavailableException | ApiException e) {
            LOG.warnf("evaluation %s failed: %s", evaluation.id, e.getMessage());
            ledger.fail(lease, evaluation.id, e.getMessage());
        } catch (Exception e) {
            if (guard.lost()) {
                throw new LeaseLostException(lease);
            }
            if (lease.attempts() >= config.worker().maxAttempts()) {
                LOG.errorf(e, "evaluation %s failed on attempt %d of %d", evaluation.id, lease.attempts(),
                        config.worker().maxAttempts());
                ledger.fail(lease, evaluation.id, "failed after " + lease.attempts() + " attempts: " + e);
            } else {
                throw e;
            }
        }
    }

    private void evaluate(Evaluation evaluation, Lease lease, LeaseGuard guard) throws Exception {
        long started = System.nanoTime();
        EvaluationOptions options = EvaluationService.read(evaluation.options, EvaluationOptions.class);
        ObjectNode progress = (ObjectNode) EvaluationService.json().readTree(evaluation.progress);
        List<HeldOutRows.Row> rows = rows(evaluation, options, progress);
        Path base = pool.folder(evaluation.baseModel, "base_model");
        Map<String, Map<Integer, ExampleStore.Output>> done = done(evaluation.id);
        Checkpoint check = () -> checkpoint(lease, guard);
        EvaluationPasses passes = new EvaluationPasses(evaluation, rows, base, pool, examples, store, ledger, config,
                progress, check);
        passes.generate(EvaluationResult.BASE, null, done.get(EvaluationResult.BASE).keySet());
        passes.generate(EvaluationResult.FINE_TUNED, evaluation.adapterArtifactId,
                done.get(EvaluationResult.FINE_TUNED).keySet());
        passes.loss(EvaluationResult.BASE, null);
        passes.loss(EvaluationResult.FINE_TUNED, evaluation.adapterArtifactId);
        List<String> notes = new ArrayList<>();
        long splitRows = progress.path("split_rows").asLong(rows.size());
        if (splitRows > rows.size()) {
            notes.add("evaluated the first " + rows.size() + " of the split's " + splitRows + " rows (max_examples)");
        }
        boolean withReference = false;
        if (options.reference() != null) {
            String key = evaluation.referenceKey == null ? null : vault.open(evaluation.referenceKey);
            ReferencePass reference = new ReferencePass(options.reference(), key, config.reference(), examples, check);
            withReference = reference.run(evaluation.id, rows, passes.maxNewTokens(),
                    examples.outputs(evaluation.id).stream()
                            .filter(o -> o.model().equals(EvaluationResult.REFERENCE)).map(ExampleStore.Output::index).toList(),
                    notes);
            if (options.judge()) {
                reference.judge(evaluation.id, rows, done(evaluation.id), progress, withReference, notes,
                        p -> ledger.progress(evaluation.id, p.toString()));
            }
        }
        Map<String, Map<Integer, ExampleStore.Output>> outputs = done(evaluation.id);
        List<ResultBuilder.ModelRun> runs = new ArrayList<>();
        runs.add(run(EvaluationResult.BASE, evaluation.baseModel, rows, outputs, progress));
        runs.add(run(EvaluationResult.FINE_TUNED, evaluation.fineTunedModel != null ? evaluation.fineTunedModel
                : evaluation.adapterArtifactId, rows, outputs, progress));
        if (withReference) {
            runs.add(run(EvaluationResult.REFERENCE, options.reference().model(), rows, outputs, progress));
        }
        ResultBuilder.Built built = ResultBuilder.build(rows.stream().map(HeldOutRows.Row::expected).toList(), options,
                config.bootstrapResamples(), splitRows, runs, notes);
        List<String> scores = built.perExample().stream().map(EvaluationService::write).toList();
        check.now();
        ledger.succeed(lease, evaluation, built.result(), scores);
        LOG.infof("evaluation %s done in %.1f s: %s %s (%s %+.3f, 95%% [%.3f, %.3f])", evaluation.id,
                (System.nanoTime() - started) / 1e9, built.result().primaryMetric(), built.result().verdict().result(),
                built.result().taskType(), built.result().verdict().difference(), built.result().verdict().low(),
                built.result().verdict().high());
    }

    /** The held-out rows, read from the split the first time and from the evaluation's own table after. */
    private List<HeldOutRows.Row> rows(Evaluation evaluation, EvaluationOptions options, ObjectNode progress)
            throws IOException {
        List<ExampleStore.Example> stored = examples.examples(evaluation.id);
        if (stored.isEmpty()) {
            if (!store.exists(evaluation.splitArtifactId)) {
                throw new EvaluationException("the " + evaluation.split + " split (artifact " + evaluation.splitArtifactId
                        + ") is not in the artifact store");
            }
            HeldOutRows.Read read;
            try (InputStream in = store.open(evaluation.splitArtifactId)) {
                read = HeldOutRows.read(in, evaluation.split, options.maxExamples());
            }
            stored = new ArrayList<>();
            for (int i = 0; i < read.rows().size(); i++) {
                HeldOutRows.Row row = read.rows().get(i);
                stored.add(new ExampleStore.Example(i, row.line(), EvaluationService.write(row.prompt()), row.expected(), null));
            }
            ledger.addExamples(evaluation.id, stored);
            progress.put("split_rows", read.total());
            ledger.progress(evaluation.id, progress.toString());
        }
        List<HeldOutRows.Row> rows = new ArrayList<>(stored.size());
        for (ExampleStore.Example e : stored) {
            rows.add(new HeldOutRows.Row(e.sourceLine(), EvaluationService.json().readValue(e.messages(),
                    new TypeReference<List<Map<String, Object>>>() { }), e.expected()));
        }
        return rows;
    }

    private Map<String, Map<Integer, ExampleStore.Output>> done(String id) {
        Map<String, Map<Integer, ExampleStore.Output>> out = new HashMap<>();
        for (String role : List.of(EvaluationResult.BASE, EvaluationResult.FINE_TUNED, EvaluationResult.REFERENCE)) {
            out.put(role, new HashMap<>());
        }
        examples.outputs(id).forEach(o -> out.get(o.model()).put(o.index(), o));
        return out;
    }

    private static ResultBuilder.ModelRun run(String role, String model, List<HeldOutRows.Row> rows,
            Map<String, Map<Integer, ExampleStore.Output>> outputs, ObjectNode progress) {
        List<ExampleStore.Output> aligned = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            aligned.add(outputs.get(role).get(i));
        }
        Double loss = progress.path("loss").path(role).path("loss").isNumber()
                ? progress.path("loss").path(role).path("loss").doubleValue() : null;
        Map<Integer, Double> judge = new HashMap<>();
        progress.path("judge").path(role).fields()
                .forEachRemaining(f -> judge.put(Integer.parseInt(f.getKey()), f.getValue().doubleValue()));
        return new ResultBuilder.ModelRun(role, model, aligned, loss, judge);
    }

    private static void checkpoint(Lease lease, LeaseGuard guard) {
        if (guard.lost()) {
            throw new LeaseLostException(lease);
        }
        if (guard.shuttingDown()) {
            throw new Stopped();
        }
    }

    /** Where a running evaluation may stop: the lease still held, the worker not shutting down. */
    @FunctionalInterface
    interface Checkpoint {
        void now();
    }
}
