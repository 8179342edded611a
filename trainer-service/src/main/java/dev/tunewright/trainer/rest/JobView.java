package dev.tunewright.trainer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.service.EvaluationOptions;
import dev.tunewright.trainer.service.Hyperparameters;
import dev.tunewright.trainer.service.JobRequest;
import dev.tunewright.trainer.service.JobSettings;
import dev.tunewright.trainer.service.JobStatus;
import dev.tunewright.trainer.service.LoraSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's {@code fine_tuning.job}, field for field, plus ours: {@code lora} (the resolved extension block),
 * {@code evaluation} (what the job asks of its evaluation), {@code progress}, {@code queue_position} while queued and
 * {@code dataset_id}. OpenAI clients pass unknown fields
 * and the {@code paused} status through.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobView(
        String id,
        String object,
        long createdAt,
        Long finishedAt,
        String model,
        String fineTunedModel,
        String organizationId,
        String status,
        Error error,
        Map<String, Object> hyperparameters,
        Method method,
        String trainingFile,
        String validationFile,
        List<String> resultFiles,
        Long trainedTokens,
        long seed,
        Long estimatedFinish,
        Map<String, String> metadata,
        List<Object> integrations,
        String userProvidedSuffix,
        LoraSettings lora,
        EvaluationOptions evaluation,
        Progress progress,
        Long queuePosition,
        String datasetId) {

    public record Error(String code, String message, String param) {
    }

    public record Method(String type, Supervised supervised) {
    }

    public record Supervised(Map<String, Object> hyperparameters) {
    }

    /** How far the job is: optimizer steps done of all, and the epoch the last step was in. */
    public record Progress(int step, Integer totalSteps, Double epoch) {
    }

    /** The id under which a job's metrics CSV is listed in {@code result_files}. */
    public static String resultFileId(String jobId) {
        return "ftresult-" + jobId.substring(jobId.indexOf('-') + 1);
    }

    static JobView of(Job job, JobRequest request, Optional<JobSettings> settings, Optional<Long> queuePosition) {
        Hyperparameters hyperparameters = settings.map(JobSettings::hyperparameters).orElse(request.hyperparameters());
        Map<String, Object> shown = hyperparameters.view();
        LoraSettings lora = settings.map(JobSettings::lora).orElse(request.lora());
        Integer totalSteps = job.totalSteps != null ? job.totalSteps : settings.map(JobSettings::estimatedSteps).orElse(null);
        return new JobView(job.id, "fine_tuning.job", job.createdAt.getEpochSecond(),
                job.finishedAt == null ? null : job.finishedAt.getEpochSecond(), job.model, job.fineTunedModel, job.teamId,
                job.status.wireName(), job.errorCode == null ? null : new Error(job.errorCode, job.errorMessage, job.errorParam),
                shown, new Method("supervised", new Supervised(shown)), job.trainingFile, job.validationFile,
                job.resultArtifactId == null ? List.of() : List.of(resultFileId(job.id)), job.trainedTokens, job.seed,
                estimatedFinish(job, totalSteps), job.metadata == null ? Map.of() : job.metadata, List.of(), job.suffix,
                lora, request.evaluation(), new Progress(job.step, totalSteps, job.epoch), queuePosition.orElse(null),
                job.datasetId);
    }

    /** Now plus the steps left at the mean step time measured in this attempt; only while running. */
    private static Long estimatedFinish(Job job, Integer totalSteps) {
        if (job.status != JobStatus.RUNNING || job.stepSeconds == null || totalSteps == null) {
            return null;
        }
        double left = Math.max(0, totalSteps - job.step) * job.stepSeconds;
        return Instant.now().plusMillis((long) (left * 1000)).getEpochSecond();
    }
}
