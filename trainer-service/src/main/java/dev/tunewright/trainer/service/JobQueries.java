package dev.tunewright.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobCheckpoint;
import dev.tunewright.trainer.repository.JobCheckpointRepository;
import dev.tunewright.trainer.repository.JobEventRecord;
import dev.tunewright.trainer.repository.JobEventRepository;
import dev.tunewright.trainer.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** What the jobs API reads: pages of jobs, events and checkpoints, and the files a job produced. */
@ApplicationScoped
public class JobQueries {

    private final JobRepository jobs;
    private final JobEventRepository events;
    private final JobCheckpointRepository checkpoints;
    private final ArtifactStore artifacts;
    private final ObjectMapper json;

    public JobQueries(JobRepository jobs, JobEventRepository events, JobCheckpointRepository checkpoints,
            ArtifactStore artifacts, ObjectMapper json) {
        this.jobs = jobs;
        this.events = events;
        this.checkpoints = checkpoints;
        this.artifacts = artifacts;
        this.json = json;
    }

    /** Newest first; {@code limit + 1} jobs so the caller can say whether there are more. */
    public List<Job> page(String teamId, String after, Map<String, String> metadata, int limit) {
        Job cursor = null;
        if (after != null) {
            cursor = jobs.findOfTeam(teamId, after).orElseThrow(() -> ApiException.badRequest("invalid_value", "after",
                    "after names no fine-tuning job of this team: '" + after + "'"));
        }
        try {
            return jobs.page(teamId, cursor, metadata.isEmpty() ? null : json.writeValueAsString(metadata), limit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<JobEventRecord> events(Job job, Long beforeSeq, int limit) {
        return events.page(job.id, beforeSeq, limit);
    }

    public List<JobCheckpoint> checkpoints(Job job, String after, int limit) {
        Integer beforeStep = null;
        if (after != null) {
            beforeStep = checkpoints.ofJob(job.id, after).orElseThrow(() -> ApiException.badRequest("invalid_value",
                    "after", "after names no checkpoint of this job: '" + after + "'")).step;
        }
        return checkpoints.page(job.id, beforeStep, limit);
    }

    /** The adapter of a checkpoint, its files verified against their manifest as they are read. */
    public ArtifactFolder checkpointAdapter(Job job, String checkpointId) throws IOException {
        JobCheckpoint checkpoint = checkpoints.ofJob(job.id, checkpointId)
                .orElseThrow(() -> ApiException.notFound("checkpoint", checkpointId));
        return ArtifactFolder.read(artifacts, checkpoint.adapterArtifactId);
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** The metrics CSV listed in the job's result_files. */
    public InputStream resultFile(Job job) throws IOException {
        return artifacts.open(job.resultArtifactId);
    }
}
