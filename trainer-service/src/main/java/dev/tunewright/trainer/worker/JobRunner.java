package dev.tunewright.trainer.worker;

import ai.djl.engine.Engine;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.LeaseGuard;
import dev.tunewright.common.queue.LeaseLostException;
import dev.tunewright.common.queue.QueueWorker;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.engine.data.DataException;
import dev.tunewright.engine.run.InvalidSettingException;
import dev.tunewright.engine.run.Setting;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.trainer.config.TrainerConfig;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobCheckpointRepository;
import dev.tunewright.trainer.repository.KnownDataset;
import dev.tunewright.trainer.repository.KnownDatasetRepository;
import dev.tunewright.trainer.service.EvaluationOptions;
import dev.tunewright.trainer.service.FineTunedModels;
import dev.tunewright.trainer.service.JobService;
import dev.tunewright.trainer.service.JobSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs one claimed job: marks it running, resolves its base model, rebuilds its run folder from its newest stored
 * checkpoint, trains through the engine, stores the adapter and ends the job as the run ended. A job whose data or
 * model is at fault fails with an error that names the field; the worker itself is never taken down by a job.
 */
@ApplicationScoped
public class JobRunner implements QueueWorker.Item {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final TrainerConfig config;
    private final JobLifecycle lifecycle;
    private final JobService jobs;
    private final JobCheckpointRepository checkpoints;
    private final KnownDatasetRepository datasets;
    private final BaseModels models;
    private final RunArtifacts artifacts;
    private final WorkQueue queue;
    private final TrainingRunner runner;
    private final WorkerMetrics metrics;
    private final String version;
    private final String workerId;

    public JobRunner(TrainerConfig config, JobLifecycle lifecycle, JobService jobs, JobCheckpointRepository checkpoints,
            KnownDatasetRepository datasets, BaseModels models, RunArtifacts artifacts, WorkQueue queue,
            TrainingRunner runner, WorkerMetrics metrics,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.models = models;
        this.artifacts = artifacts;
        this.queue = queue;
        this.runner = runner;
        this.metrics = metrics;
        this.version = version;
        this.workerId = WorkerIdentity.id();
    }

    public String workerId() {
        return workerId;
    }

    @Override
    public void run(Lease lease, LeaseGuard guard) throws Exception {
        Optional<JobLifecycle.Claimed> claimed = lifecycle.start(lease, workerId, config.worker().maxAttempts());
        if (claimed.isEmpty()) {
            return;
        }
        Job job = claimed.get().job();
        Path runDir = Path.of(config.worker().workDir()).toAbsolutePath().resolve(job.id);
        try {
            train(lease, guard, job, runDir);
        } catch (LeaseLostException e) {
            throw e;
        } catch (BaseModels.UnavailableException e) {
            LOG.warnf("job %s: %s", job.id, e.getMessage());
            lifecycle.fail(lease, e.code(), e.getMessage(), "model");
        } catch (DataException e) {
            lifecycle.fail(lease, "invalid_training_file", e.getMessage().replace(e.report().file().toString(),
                    "the dataset " + job.datasetId), "training_file");
        } catch (InvalidSettingException e) {
            lifecycle.fail(lease, "invalid_setting", e.getMessage(), param(e.setting()));
        } catch (Exception | OutOfMemoryError e) {
            if (guard.lost()) {
                throw new LeaseLostException(lease);
            }
            LOG.errorf(e, "job %s failed in training", job.id);
            lifecycle.fail(lease, "training_error", "training failed: " + e, null);
        } finally {
            deleteTree(runDir);
        }
    }

    private void train(Lease lease, LeaseGuard guard, Job job, Path runDir) throws Exception {
        JobSettings settings = jobs.settings(job).orElseThrow(() -> new IllegalStateException(job.id + " has no settings"));
        KnownDataset dataset = QuarkusTransaction.requiringNew().call(() -> datasets.findById(job.datasetId));
        BaseModels.Resolved model = models.resolve(job.model);
        JobLineage lineage = new JobLineage(job.modelId, model.revision(), model.weightsSha256(), model.tokenizerSha256(),
                dataset.id, datasetSha256(dataset), dataset.trainArtifactId, dataset.validationArtifactId,
                settings.asMap(job.seed), job.seed, engineVersion());

        deleteTree(runDir);
        Files.createDirectories(runDir);
        int restored = artifacts.restoreNewest(QuarkusTransaction.requiringNew().call(() -> checkpoints.newestFirst(job.id)),
                runDir.resolve("checkpoints"));
        EvaluationOptions evaluation = jobs.request(job).evaluation();
        JobRun run = new JobRun(lease, guard, lifecycle, artifacts, queue, config.worker(), metrics, settings, lineage,
                evaluation.everyCheckpoint(), restored);
        TrainingRunner.Spec spec = new TrainingRunner.Spec(model.folder(), FineTunedModels.base(job).id(), model.revision(),
                artifacts.store().localPath(dataset.trainArtifactId), artifacts.store().localPath(dataset.validationArtifactId),
                runDir, settings, job.seed, config.worker().device().orElse(null),
                config.worker().dtype());
        TrainingRunner.Result result;
        metrics.busy(+1);
        try {
            result = runner.run(spec, run, run.control());
        } finally {
            metrics.busy(-1);
            run.close();
        }
        if (result.outcome() == TrainingRunner.Outcome.STOPPED) {
            switch (run.stop()) {
                case CANCEL -> lifecycle.stopped(lease, JobService.CANCEL, result.steps(), run.stopSeenAtStep());
                case PAUSE -> lifecycle.stopped(lease, JobService.PAUSE, result.steps(), run.stopSeenAtStep());
                case SHUTDOWN -> lifecycle.handBack(lease, run.lastCheckpointStep());
                case LEASE_LOST -> throw new LeaseLostException(lease);
                default -> throw new IllegalStateException("the run stopped without being asked to");
            }
            return;
        }
        List<StepMetrics> history = result.history();
        StepMetrics last = history.get(history.size() - 1);
        Double validLoss = history.stream().filter(StepMetrics::evaluated).reduce((a, b) -> b)
                .map(StepMetrics::validationLoss).orElse(null);
        String adapter = artifacts.storeFolder(result.adapter());
        String resultFile = artifacts.storeResultFile(history, result.totalSteps(), settings.nEpochs());
        lifecycle.succeed(lease, adapter, resultFile, last.trainableTokensSeen(), last.trainLoss(), validLoss, lineage,
                result.steps(), evaluation.asMap());
        metrics.finished();
    }

    /** The request field a setting of the engine run came from; null for the worker's own (device, run folder). */
    static String param(Setting setting) {
        return switch (setting) {
            case MODEL, TRAINING_FILE, VALIDATION_FILE -> setting.key();
            case N_EPOCHS, BATCH_SIZE -> "method.supervised.hyperparameters." + setting.key();
            case R, ALPHA, DROPOUT, TARGET_MODULES, GRADIENT_ACCUMULATION_STEPS, LEARNING_RATE, WARMUP_RATIO, SCHEDULER,
                    EVAL_EVERY, EARLY_STOPPING_PATIENCE, SAVE_EVERY, MAX_SEQ_LENGTH -> "lora." + setting.key();
            default -> null;
        };
    }

    /** SHA-256 over the train split's SHA-256, a newline and the validation split's (JobLineage#datasetSha256). */
    static String datasetSha256(KnownDataset dataset) {
        String text = hex(dataset.trainArtifactId) + "\n" + hex(dataset.validationArtifactId);
        return HexFormat.of().formatHex(BaseModels.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hex(String artifactId) {
        return artifactId.substring(artifactId.indexOf('-') + 1);
    }

    private String engineVersion() {
        String torch;
        try {
            torch = Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            torch = "unknown";
        }
        return "tunewright " + version + " (PyTorch " + torch + ")";
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warnf("cannot delete run folder %s: %s", root, e.getMessage());
        }
    }
}
