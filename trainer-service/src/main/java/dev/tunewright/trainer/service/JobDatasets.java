package dev.tunewright.trainer.service;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.trainer.repository.KnownDatasetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the dataset a job trains on, failing fast with the field to blame. A dataset id the trainer has seen
 * announced is checked against its own record; anything else is asked of the dataset service as the caller's
 * team: a file must be the team's and processed, and its default dataset (the dataset service's seeded 10%
 * validation split, or the given validation file) is created or found there, idempotently. The splits' artifacts
 * are learnt from the dataset's {@code dataset.ingested} event, which may arrive after this returns: the job
 * then waits in {@code validating_files}.
 */
@ApplicationScoped
public class JobDatasets {

    private final DatasetServiceClient datasets;
    private final KnownDatasetRepository known;

    public JobDatasets(DatasetServiceClient datasets, KnownDatasetRepository known) {
        this.datasets = datasets;
        this.known = known;
    }

    /** The dataset id of the job's files. */
    public String resolve(TeamIdentity team, String trainingFile, String validationFile) {
        if (trainingFile.startsWith("ds-")) {
            if (known.findOfTeam(team.teamId(), trainingFile).isPresent()) {
                return trainingFile;
            }
            DatasetServiceClient.Answer dataset = datasets.get(team, "/v1/datasets/" + trainingFile);
            if (!dataset.ok()) {
                throw blame(dataset.failure(), "training_file", "dataset", trainingFile);
            }
            return trainingFile;
        }
        checkFile(team, trainingFile, "training_file");
        if (validationFile != null) {
            checkFile(team, validationFile, "validation_file");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_id", trainingFile);
        if (validationFile != null) {
            body.put("validation_file_id", validationFile);
        }
        DatasetServiceClient.Answer created = datasets.post(team, "/v1/datasets", body);
        if (!created.ok()) {
            DatasetServiceClient.Failure failure = created.failure();
            String param = "validation_file_id".equals(failure.param()) ? "validation_file" : "training_file";
            throw blame(failure, param, "file", "validation_file".equals(param) ? validationFile : trainingFile);
        }
        return created.body().path("id").asText();
    }

    private void checkFile(TeamIdentity team, String fileId, String param) {
        DatasetServiceClient.Answer file = datasets.get(team, "/v1/files/" + fileId);
        if (!file.ok()) {
            throw blame(file.failure(), param, "file", fileId);
        }
        String status = file.body().path("status").asText("");
        switch (status) {
            case "processed" -> {
            }
            case "error" -> throw ApiException.badRequest("invalid_file", param, param + " '" + fileId
                    + "' was rejected by validation: " + file.body().path("status_details").asText("see the file's report"));
            default -> throw ApiException.badRequest("file_not_ready", param, param + " '" + fileId + "' is still being"
                    + " validated (status " + status + "); create the job once its status is processed");
        }
        if (!"fine-tune".equals(file.body().path("purpose").asText())) {
            throw ApiException.badRequest("invalid_file", param, param + " '" + fileId + "' has purpose '"
                    + file.body().path("purpose").asText() + "', not fine-tune");
        }
    }

    /** The dataset service's answer about one of the job's files, said about the job's field. */
    private static ApiException blame(DatasetServiceClient.Failure failure, String param, String what, String id) {
        if (failure.status() == 404) {
            return new ApiException(404, what + "_not_found", param, param + ": " + what + " '" + id + "' not found");
        }
        return new ApiException(failure.status() == 409 ? 409 : 400,
                failure.code() == null ? "invalid_file" : failure.code(), param, param + ": " + failure.message());
    }
}
