package dev.tunewright.registry.service;

import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.EvaluationEvent;
import dev.tunewright.contracts.evaluation.EvaluationFailed;
import dev.tunewright.registry.repository.JobEvaluation;
import dev.tunewright.registry.repository.JobEvaluationRepository;
import dev.tunewright.registry.repository.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Keeps what the evaluator said about each job's final adapter, by job id, whether or not the job's version is
 * registered yet; the version's evaluation is looked up when it is read. Checkpoint evaluations judge a
 * checkpoint, not the adapter, and are not kept.
 */
@ApplicationScoped
public class EvaluationService {

    static final String CONSUMER = "registry.evaluations";
    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final JobEvaluationRepository evaluations;
    private final ProcessedEvents processedEvents;

    public EvaluationService(JobEvaluationRepository evaluations, ProcessedEvents processedEvents) {
        this.evaluations = evaluations;
        this.processedEvents = processedEvents;
    }

    @Transactional
    public void record(EvaluationEvent event) {
        if (!processedEvents.firstTime(event.eventId(), CONSUMER) || evaluations.findByIdOptional(event.subjectId()).isPresent()) {
            return;
        }
        JobEvaluation e = new JobEvaluation();
        e.evaluationId = event.subjectId();
        e.teamId = event.teamId();
        e.occurredAt = event.occurredAt();
        if (event instanceof EvaluationCompleted completed) {
            if (completed.checkpointStep() != null || completed.jobId() == null) {
                return;
            }
            e.jobId = completed.jobId();
            e.status = JobEvaluation.COMPLETED;
            e.verdict = completed.verdict();
            e.taskType = completed.taskType();
            e.primaryMetric = completed.primaryMetric();
            e.difference = completed.difference();
            e.differenceLow = completed.differenceLow();
            e.differenceHigh = completed.differenceHigh();
            e.baseMetrics = JsonText.write(completed.baseMetrics());
            e.tunedMetrics = JsonText.write(completed.tunedMetrics());
            e.referenceModel = completed.referenceModel();
            e.referenceMetrics = JsonText.write(completed.referenceMetrics());
            e.referenceVerdict = completed.referenceVerdict();
        } else if (event instanceof EvaluationFailed failed) {
            if (failed.jobId() == null) {
                return;
            }
            e.jobId = failed.jobId();
            e.status = JobEvaluation.FAILED;
            e.message = failed.message();
        }
        evaluations.persist(e);
        LOG.infof("evaluation %s of job %s: %s %s", e.evaluationId, e.jobId, e.status, e.verdict == null ? "" : e.verdict);
    }
}
