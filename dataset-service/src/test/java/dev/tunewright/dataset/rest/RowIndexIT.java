package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.TestTeams.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The row index on the real stack: written at upload, used for datasets, and never needed for correctness. A file
 * whose index is missing (uploaded before indexes existed) or unusable is scanned instead, with identical splits.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class RowIndexIT {

    private static final Map<String, Object> OPTIONS = Map.of("validation_fraction", 0.2, "seed", 7, "dedup", "normalized");

    @Test
    void datasetsFromTheIndexAndFromAScanAreIdenticalAndTheIndexGoesWithTheFile() throws Exception {
        String content = DatasetFlowIT.classificationFile(300)
                + "{\"instruction\":\"classify the ticket\",\"input\":\"Ticket number 2  about billing\",\"output\":\"Billing\"}\n";
        TeamIdentity indexed = TestTeams.newTeam("indexed");
        TeamIdentity legacy = TestTeams.newTeam("legacy");
        TeamIdentity damaged = TestTeams.newTeam("damaged");
        String indexedFile = uploaded(indexed, content);
        String legacyFile = uploaded(legacy, content);
        String damagedFile = uploaded(damaged, content);

        String index = column(indexedFile, "row_index_artifact_id");
        assertThat(index).startsWith("sha256-").isNotEqualTo(column(indexedFile, "artifact_id"));
        assertThat(artifact(index)).exists();
        update(legacyFile, null);
        update(damagedFile, column(damagedFile, "artifact_id"));

        List<Object> expected = dataset(indexed, indexedFile);
        assertThat(dataset(legacy, legacyFile)).isEqualTo(expected);
        assertThat(dataset(damaged, damagedFile)).isEqualTo(expected);
        assertThat(expected.get(2)).as("duplicates removed").isEqualTo(2);

        String path = "/v1/files/" + indexedFile;
        as(indexed).delete(path).then().statusCode(200);
        assertThat(artifact(index)).doesNotExist();
        assertThat(artifact(column(legacyFile, "artifact_id"))).exists();
    }

    private static String uploaded(TeamIdentity team, String content) {
        return DatasetFlowIT.upload(team, "tickets.jsonl", content, false).then().statusCode(200).extract().path("id");
    }

    /** What must not depend on where the rows came from: both splits' bytes, the statistics and the report. */
    private static List<Object> dataset(TeamIdentity team, String fileId) {
        Map<String, Object> body = new java.util.HashMap<>(OPTIONS);
        body.put("file_id", fileId);
        Response created = as(team).contentType("application/json").body(body).post("/v1/datasets");
        created.then().statusCode(201);
        String id = created.path("id");
        String train = "/v1/datasets/" + id + "/splits/train";
        String validation = "/v1/datasets/" + id + "/splits/validation";
        String report = "/v1/datasets/" + id + "/report";
        return List.of(as(team).get(train).then().statusCode(200).extract().asString(),
                as(team).get(validation).then().statusCode(200).extract().asString(),
                created.path("stats.duplicates_removed"), created.path("stats").toString(),
                as(team).get(report).then().statusCode(200).extract().path("duplicate_lines").toString());
    }

    private static Path artifact(String id) {
        String hex = id.substring("sha256-".length());
        return Infrastructure.get().artifactsDir().resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static String column(String fileId, String column) throws SQLException {
        try (Connection db = connection();
                PreparedStatement query = db.prepareStatement("select " + column + " from dataset.dataset_file where id = ?")) {
            query.setString(1, fileId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }

    private static void update(String fileId, String rowIndex) throws SQLException {
        try (Connection db = connection();
                PreparedStatement update = db.prepareStatement(
                        "update dataset.dataset_file set row_index_artifact_id = ? where id = ?")) {
            update.setString(1, rowIndex);
            update.setString(2, fileId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static Connection connection() throws SQLException {
        Infrastructure infra = Infrastructure.get();
        return DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
    }
}
