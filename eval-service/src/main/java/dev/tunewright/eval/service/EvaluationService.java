package dev.tunewright.eval.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.repository.EvaluationRepository;
import dev.tunewright.eval.repository.FineTunedModel;
import dev.tunewright.eval.repository.FineTunedModelRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates evaluations (from job events and requests), queues them for the workers and reads them back for the
 * API, always scoped by team.
 */
@ApplicationScoped
public class EvaluationService {

    /** The work-queue kind of evaluations. */
    public static final String KIND = "evaluation";
    static final String CONSUMER = "eval.job-events";

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    private static final ObjectMapper JSON = EventJson.configure(new ObjectMapper());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final EvaluationRepository evaluations;
    private final FineTunedModelRepository models;
    private final ProcessedEvents processedEvents;
    private final WorkQueue queue;
    private final KeyVault vault;
    private final EvalConfig config;

    public EvaluationService(EvaluationRepository evaluations, FineTunedModelRepository models,
            ProcessedEvents processedEvents, WorkQueue queue, KeyVault vault, EvalConfig config) {
        this.evaluations = evaluations;
        this.models = models;
        this.processedEvents = processedEvents;
        this.queue = queue;
        this.vault = vault;
        this.config = config;
    }

    /**
     * Learns the fine-tuned model of a succeeded job and queues its evaluation; queues a checkpoint's evaluation
     * when the job asked for them. A redelivered event (same id) or a second event about the same job and step
     * queues nothing. Returns whether an evaluation was queued.
     */
    @Transactional
    public boolean onJobEvent(JobEvent event) {
        boolean relevant = event instanceof JobSucceeded || event instanceof CheckpointSaved saved && saved.evaluate();
        if (!relevant || !processedEvents.firstTime(event.eventId(), CONSUMER)) {
            return false;
        }
        if (event instanceof JobSucceeded succeeded) {
            remember(succeeded);
            if (Boolean.FALSE.equals(succeeded.evaluation().get("enabled"))) {
                LOG.infof("job %s asked for no evaluation", succeeded.jobId());
                return false;
            }
            return queueForJob(succeeded.teamId(), succeeded.jobId(), null, succeeded.fineTunedModel(),
                    succeeded.baseModel(), succeeded.adapterArtifactId(), succeeded.lineage(),
                    succeeded.resultFileArtifactId(), succeeded.evaluation());
        }
        CheckpointSaved saved = (CheckpointSaved) event;
        return queueForJob(saved.teamId(), saved.jobId(), saved.step(), null,
                saved.lineage() == null ? null : saved.lineage().baseModel(), saved.adapterArtifactId(), saved.lineage(),
                null, Map.of());
    }

    private void remember(JobSucceeded event) {
        if (event.fineTunedModel() == null || models.findByIdOptional(event.fineTunedModel()).isPresent()) {
            return;
        }
        FineTunedModel model = new FineTunedModel();
        model.id = event.fineTunedModel();
        model.teamId = event.teamId();
        model.jobId = event.jobId();
        model.baseModel = event.baseModel();
        model.adapterArtifactId = event.adapterArtifactId();
        JobLineage lineage = event.lineage();
        model.trainArtifactId = lineage == null ? null : lineage.trainArtifactId();
        model.validationArtifactId = lineage == null ? null : lineage.validationArtifactId();
        model.resultFileArtifactId = event.resultFileArtifactId();
        model.lineage = write(lineage);
        model.createdAt = event.occurredAt();
        models.persist(model);
    }

    private boolean queueForJob(String teamId, String jobId, Long step, String fineTunedModel, String baseModel,
            String adapterArtifactId, JobLineage lineage, String resultFile, Map<String, Object> asked) {
        if (evaluations.existsForJob(teamId, jobId, step)) {
            return false;
        }
        String split = "train".equals(asked.get("split")) ? "train" : "validation";
        String splitArtifact = lineage == null ? null
                : split.equals("train") ? lineage.trainArtifactId() : lineage.validationArtifactId();
        if (baseModel == null || adapterArtifactId == null || splitArtifact == null) {
            LOG.errorf("job %s%s: no base model, adapter or %s split in the event; nothing to evaluate", jobId,
                    step == null ? "" : " step " + step, split);
            return false;
        }
        JsonNode schema = asked.get("json_schema") == null ? null : JSON.valueToTree(asked.get("json_schema"));
        EvaluationOptions options = EvaluationRequest.fromJob(asked, config, schema);
        Evaluation evaluation = newEvaluation(teamId, step == null ? Evaluation.ORIGIN_JOB : Evaluation.ORIGIN_CHECKPOINT,
                jobId, step, fineTunedModel, baseModel, adapterArtifactId, split, splitArtifact, resultFile, lineage, options);
        config.reference().defaultApiKey().filter(k -> options.reference() != null)
                .ifPresent(key -> evaluation.referenceKey = vault.seal(key));
        evaluations.persist(evaluation);
        queue.enqueue(KIND, evaluation.id, teamId, 0);
        LOG.infof("evaluation %s queued for job %s%s", evaluation.id, jobId, step == null ? "" : " step " + step);
        return true;
    }

    /** An evaluation a team asked for: of a job's final adapter or of a fine-tuned model, on one of its splits. */
    @Transactional
    public Evaluation create(String teamId, EvaluationRequest request) {
        FineTunedModel model = request.jobId() != null
                ? models.byJob(teamId, request.jobId()).orElseThrow(() -> new ApiException(404, "not_found", "job_id",
                        "job '" + request.jobId() + "' not found (or it has not succeeded yet)"))
                : (request.adapter().startsWith("ft:") ? models.byId(teamId, request.adapter())
                        : models.byAdapter(teamId, request.adapter())).orElseThrow(() -> new ApiException(404,
                        "not_found", "adapter", "adapter '" + request.adapter() + "' not found"));
        JobLineage lineage = read(model.lineage, JobLineage.class);
        String splitArtifact = request.split().equals("train") ? model.trainArtifactId : model.validationArtifactId;
        if (splitArtifact == null) {
            throw ApiException.badRequest("invalid_value", "split", "the job of " + model.id + " has no "
                    + request.split() + " split");
        }
        Evaluation evaluation = newEvaluation(teamId, Evaluation.ORIGIN_REQUEST, model.jobId, null, model.id,
                model.baseModel, model.adapterArtifactId, request.split(), splitArtifact, model.resultFileArtifactId,
                lineage, request.options());
        String key = request.apiKey();
        if (key == null && request.options().reference() != null
                && request.options().reference().equals(EvaluationRequest.defaultReference(config))) {
            key = config.reference().defaultApiKey().orElse(null);
        }
        evaluation.referenceKey = key == null ? null : vault.seal(key);
        evaluations.persist(evaluation);
        queue.enqueue(KIND, evaluation.id, teamId, 1);
        return evaluation;
    }

    @Transactional
    public Evaluation get(String teamId, String id) {
        return evaluations.byId(teamId, id).orElseThrow(() -> ApiException.notFound("evaluation", id));
    }

    /** Up to {@code limit + 1} evaluations after the cursor, so the caller can tell whether there are more. */
    @Transactional
    public List<Evaluation> page(String teamId, String after, int limit) {
        Evaluation cursor = after == null ? null : evaluations.byId(teamId, after)
                .orElseThrow(() -> new ApiException(400, "invalid_value", "after", "after: no evaluation '" + after + "'"));
        return evaluations.page(teamId, cursor, limit + 1);
    }

    /** Where a waiting evaluation stands in the queue (1 = next), empty when it is not waiting. */
    @Transactional
    public Optional<Long> position(String id) {
        return queue.position(KIND, id);
    }

    private Evaluation newEvaluation(String teamId, String origin, String jobId, Long step, String fineTunedModel,
            String baseModel, String adapter, String split, String splitArtifact, String resultFile, JobLineage lineage,
            EvaluationOptions options) {
        Evaluation e = new Evaluation();
        e.id = newId();
        e.teamId = teamId;
        e.origin = origin;
        e.jobId = jobId;
        e.checkpointStep = step;
        e.fineTunedModel = fineTunedModel;
        e.baseModel = baseModel;
        e.adapterArtifactId = adapter;
        e.split = split;
        e.splitArtifactId = splitArtifact;
        e.resultFileArtifactId = resultFile;
        e.maxSeqLength = lineage == null ? null : maxSeqLength(lineage.hyperparameters());
        e.options = write(options);
        e.status = Evaluation.QUEUED;
        e.createdAt = Instant.now();
        return e;
    }

    /** The job's max_seq_length, top level or in the lora block, so the held-out loss sees what training saw. */
    static Integer maxSeqLength(Map<String, Object> hyperparameters) {
        Object value = hyperparameters.get("max_seq_length");
        if (value == null && hyperparameters.get("lora") instanceof Map<?, ?> lora) {
            value = lora.get("max_seq_length");
        }
        return value instanceof Number n && n.intValue() > 0 ? n.intValue() : null;
    }

    static String newId() {
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "eval-" + new String(id);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
