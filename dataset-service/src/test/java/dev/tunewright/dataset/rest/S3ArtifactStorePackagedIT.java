package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.TestTeams.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import dev.tunewright.testing.S3ArtifactStoreResource;
import dev.tunewright.testing.S3TestServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The packaged service ({@code quarkus-run.jar}, its own process) with {@code tunewright.artifacts.store=s3}: the
 * S3 store's classes load from the packaged application, uploads and splits land in the bucket, and nothing is
 * published to the local folder, which only stages.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(value = S3ArtifactStoreResource.class, restrictToAnnotatedClass = true)
class S3ArtifactStorePackagedIT {

    private static S3TestServer server;

    @BeforeAll
    static void requireS3() {
        server = S3TestServer.get().orElse(null);
        assumeTrue(server != null, S3TestServer::unavailableReason);
    }

    @Test
    void uploadsAndSplitsAreObjectsInTheBucket() throws Exception {
        TeamIdentity team = TestTeams.newTeam("s3-team");
        // A row of its own, so that no other test's artifact has these bytes.
        String content = DatasetFlowIT.classificationFile(100) + "{\"instruction\":\"Classify the ticket\",\"input\":\"ticket "
                + UUID.randomUUID() + " about billing\",\"output\":\"billing\"}\n";
        Response file = DatasetFlowIT.upload(team, "tickets.jsonl", content, false);
        file.then().statusCode(200);
        String fileId = file.path("id");
        Response dataset = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "validation_fraction", 0.2, "seed", 3)).post("/v1/datasets");
        dataset.then().statusCode(201);
        String datasetId = dataset.path("id");
        String trainPath = "/v1/datasets/" + datasetId + "/splits/train";
        byte[] train = as(team).get(trainPath).then().statusCode(200).extract().asByteArray();
        int trainRows = dataset.path("splits.train.rows");
        assertThat(new String(train, StandardCharsets.UTF_8).lines()).hasSize(trainRows).hasSizeGreaterThan(70);

        String prefix = System.getProperty(S3ArtifactStoreResource.PREFIX);
        try (S3Client client = client()) {
            List<String> keys = client.listObjectsV2(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix + "/"))
                    .contents().stream().map(S3Object::key).toList();
            assertThat(keys).contains(key(prefix, content.getBytes(StandardCharsets.UTF_8)), key(prefix, train))
                    .as("file, row index, train and validation splits").hasSizeGreaterThanOrEqualTo(4);
        }
        Path local = Infrastructure.get().artifactsDir();
        assertThat(local.resolve(path(content.getBytes(StandardCharsets.UTF_8)))).as("upload published locally").doesNotExist();
        assertThat(local.resolve(path(train))).as("split published locally").doesNotExist();
    }

    private static String key(String prefix, byte[] content) throws Exception {
        return prefix + "/" + path(content);
    }

    /** Where a store keeps these bytes, below its folder or its key prefix. */
    private static String path(byte[] content) throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    private static S3Client client() {
        return S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(server.endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY,
                        S3TestServer.SECRET_KEY)))
                .build();
    }
}
