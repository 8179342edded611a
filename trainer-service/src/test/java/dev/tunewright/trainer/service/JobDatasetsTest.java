package dev.tunewright.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.trainer.repository.KnownDataset;
import dev.tunewright.trainer.repository.KnownDatasetRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the dataset service's answers about a job's files become: the job's own field named, 404 for a file the
 * team cannot see (another team's, a rejected upload), 400 for one not yet processed. The flows with the real
 * dataset service are in e2e-tests ({@code FineTuningEndToEndIT}); a file that is still being validated cannot be
 * produced there (uploads are validated before they get an id), so its answer is checked here.
 */
class JobDatasetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TeamIdentity TEAM = new TeamIdentity("team-1", "acme");

    private final Map<String, DatasetServiceClient.Answer> answers = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final JobDatasets datasets = new JobDatasets(new DatasetServiceClient(null, null, JSON) {
        @Override
        public Answer get(TeamIdentity team, String path) {
            calls.add("GET " + path);
            return answers.getOrDefault("GET " + path, notFound());
        }

        @Override
        public Answer post(TeamIdentity team, String path, Map<String, Object> body) {
            calls.add("POST " + path + " " + body);
            return answers.getOrDefault("POST " + path, notFound());
        }
    }, new KnownDatasetRepository() {
        @Override
        public Optional<KnownDataset> findOfTeam(String teamId, String id) {
            return Optional.empty();
        }
    });

    @Test
    void aProcessedFileGetsItsDefaultDatasetCreatedAsTheTeam() {
        file("file-a", "processed");
        file("file-v", "processed");
        answers.put("POST /v1/datasets", ok("{\"id\":\"ds-1\"}"));
        assertThat(datasets.resolve(TEAM, "file-a", "file-v")).isEqualTo("ds-1");
        assertThat(calls).containsExactly("GET /v1/files/file-a", "GET /v1/files/file-v",
                "POST /v1/datasets {file_id=file-a, validation_file_id=file-v}");
    }

    @Test
    void eachFileProblemNamesTheJobsField() {
        assertRefused("file-missing", null, 404, "training_file", "file_not_found");
        file("file-pending", "uploaded");
        assertRefused("file-pending", null, 400, "training_file", "file_not_ready");
        file("file-bad", "error");
        assertRefused("file-bad", null, 400, "training_file", "invalid_file");
        file("file-a", "processed");
        assertRefused("file-a", "file-missing", 404, "validation_file", "file_not_found");
        file("file-v", "processed");
        answers.put("POST /v1/datasets", new DatasetServiceClient.Answer(null, new DatasetServiceClient.Failure(400,
                "mixed_formats", "validation_file_id", "validation file is chat but the training file is alpaca")));
        assertRefused("file-a", "file-v", 400, "validation_file", "mixed_formats");
        answers.put("POST /v1/datasets", new DatasetServiceClient.Answer(null, new DatasetServiceClient.Failure(400,
                "too_few_rows", "file_id", "after de-duplication 1 row(s) remain")));
        assertRefused("file-a", null, 400, "training_file", "too_few_rows");
        assertRefused("ds-unknown", null, 404, "training_file", "dataset_not_found");
    }

    private void assertRefused(String training, String validation, int status, String param, String code) {
        assertThatThrownBy(() -> datasets.resolve(TEAM, training, validation)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    private void file(String id, String status) {
        answers.put("GET /v1/files/" + id, ok("{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"purpose\":\"fine-tune\"}"));
    }

    private static DatasetServiceClient.Answer ok(String json) {
        try {
            JsonNode body = JSON.readTree(json);
            return new DatasetServiceClient.Answer(body, null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static DatasetServiceClient.Answer notFound() {
        return new DatasetServiceClient.Answer(null, new DatasetServiceClient.Failure(404, "not_found", null, "not found"));
    }
}
