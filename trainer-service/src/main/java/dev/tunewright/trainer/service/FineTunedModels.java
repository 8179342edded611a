package dev.tunewright.trainer.service;

import dev.tunewright.common.models.ModelRef;
import dev.tunewright.trainer.repository.Job;

/** OpenAI-style model ids of a job's adapter: {@code ft:<base>:<team>:<suffix>:<job id>}. */
public final class FineTunedModels {

    private FineTunedModels() {
    }

    public static ModelRef base(Job job) {
        return new ModelRef(ModelRef.Source.valueOf(job.modelSource), job.modelId, job.modelRevision);
    }

    /** The id the job's adapter gets; its checkpoints add {@code :ckpt-step-<n>}. */
    public static String id(Job job) {
        return "ft:" + segment(base(job).shortName()) + ":" + segment(job.teamName) + ":"
                + (job.suffix == null ? "" : job.suffix) + ":" + job.id;
    }

    /** ':' separates the id's parts, so it cannot occur inside one. */
    private static String segment(String text) {
        return text.replace(':', '-').replaceAll("\\s+", "-");
    }
}
