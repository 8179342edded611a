package dev.tunewright.eval.service;

import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.EvaluationFailed;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.repository.EvaluationRepository;
import dev.tunewright.eval.repository.ExampleStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state changes of a running evaluation, each its own transaction. The two that end it ({@link #succeed},
 * {@link #fail}) also publish its event through the outbox and complete its queue item under the worker's lease,
 * so the outcome, the event and the end of the work commit together, and a worker that lost its lease commits
 * none of them.
 */
@ApplicationScoped
public class EvaluationLedger {

    private final EvaluationRepository evaluations;
    private final ExampleStore examples;
    private final Outbox outbox;
    private final WorkQueue queue;

    public EvaluationLedger(EvaluationRepository evaluations, ExampleStore examples, Outbox outbox, WorkQueue queue) {
        this.evaluations = evaluations;
        this.examples = examples;
        this.outbox = outbox;
        this.queue = queue;
    }

    /** Marks the evaluation running and returns it; null (and the item completed) when it had already ended. */
    @Transactional
    public Evaluation start(Lease lease) {
        Evaluation e = evaluations.findById(lease.id());
        if (e == null || e.status.equals(Evaluation.SUCCEEDED) || e.status.equals(Evaluation.FAILED)) {
            queue.complete(lease);
            return null;
        }
        e.status = Evaluation.RUNNING;
        if (e.startedAt == null) {
            e.startedAt = Instant.now();
        }
        return e;
    }

    @Transactional
    public void addExamples(String id, List<ExampleStore.Example> rows) {
        examples.addExamples(id, rows);
    }

    @Transactional
    public void progress(String id, String progress) {
        evaluations.findById(id).progress = progress;
    }

    @Transactional
    public void succeed(Lease lease, Evaluation evaluation, EvaluationResult result, List<String> perExampleScores) {
        Evaluation e = evaluations.findById(evaluation.id);
        e.status = Evaluation.SUCCEEDED;
        e.result = EvaluationService.write(result);
        e.error = null;
        e.finishedAt = Instant.now();
        for (int i = 0; i < perExampleScores.size(); i++) {
            examples.setScores(e.id, i, perExampleScores.get(i));
        }
        EvaluationResult.ModelReport base = result.models().get(EvaluationResult.BASE);
        EvaluationResult.ModelReport tuned = result.models().get(EvaluationResult.FINE_TUNED);
        EvaluationResult.ModelReport reference = result.models().get(EvaluationResult.REFERENCE);
        EvaluationResult.Comparison verdict = result.verdict();
        EvaluationCompleted.Outcome outcome = new EvaluationCompleted.Outcome(result.taskType(), result.primaryMetric(),
                base.metrics(), tuned.metrics(), verdict.result(), verdict.difference(), verdict.low(), verdict.high(),
                reference == null ? null : reference.model(), reference == null ? Map.of() : reference.metrics(),
                result.referenceVerdict() == null ? null : result.referenceVerdict().result());
        outbox.enqueue(Topics.EVALUATIONS, EvaluationCompleted.of(e.teamId, e.id, e.jobId, e.checkpointStep,
                e.adapterArtifactId, e.baseModel, outcome));
        queue.complete(lease);
    }

    @Transactional
    public void fail(Lease lease, String id, String message) {
        Evaluation e = evaluations.findById(id);
        e.status = Evaluation.FAILED;
        e.error = message;
        e.finishedAt = Instant.now();
        outbox.enqueue(Topics.EVALUATIONS, EvaluationFailed.of(e.teamId, e.id, e.jobId, message));
        queue.complete(lease);
    }
}
