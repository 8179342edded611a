package dev.tunewright.contracts;

import java.util.List;

/** Topic names and keys; services and tests use these constants, never string literals. */
public final class Topics {

    public static final String TEAMS = "tunewright.teams.v1";
    public static final String DATASETS = "tunewright.datasets.v1";
    public static final String JOBS = "tunewright.jobs.v1";
    /** Per-step training metrics; separate from {@link #JOBS} so lifecycle consumers never wade through them. */
    public static final String JOB_PROGRESS = "tunewright.job-progress.v1";
    public static final String EVALUATIONS = "tunewright.evaluations.v1";
    public static final String ADAPTERS = "tunewright.adapters.v1";

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(TEAMS, 1, "teamId", "gateway", "registry-service"),
            new TopicSpec(DATASETS, 3, "datasetId (fileId when rejected)", "dataset-service", "trainer-service"),
            new TopicSpec(JOBS, 6, "jobId", "trainer-service", "dataset-service, eval-service, registry-service, gateway (SSE)"),
            new TopicSpec(JOB_PROGRESS, 6, "jobId", "trainer-service", "gateway (SSE), trainer-service (history)"),
            new TopicSpec(EVALUATIONS, 3, "evaluationId", "eval-service", "registry-service, trainer-service"),
            new TopicSpec(ADAPTERS, 3, "adapterId", "registry-service", "eval-service"));

    private Topics() {
    }
}
