package dev.tunewright.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What crashes leave behind is collected by the packaged service: staging files nobody writes to any more at
 * start-up, and artifacts it stored that nothing points at after the grace period. What another service stored, and
 * what a file still points at, stays. Every removal is counted in the log and in a metric.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(value = OrphanCollectionIT.LeftBehind.class, restrictToAnnotatedClass = true)
@TestProfile(OrphanCollectionIT.ShortGrace.class)
class OrphanCollectionIT {

    public static class ShortGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tunewright.dataset.staging-grace", "10m", "tunewright.dataset.orphan-grace", "2s",
                    "tunewright.dataset.collect-every", "1s");
        }
    }

    /** Staging files as a killed upload leaves them, written before the service starts. */
    public static class LeftBehind implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Path tmp = Infrastructure.get().artifactsDir().resolve("tmp");
            try {
                Files.createDirectories(tmp);
                for (String name : new String[] {"upload-killed-1.part", "upload-killed-2.part"}) {
                    Path stale = Files.writeString(tmp.resolve(name), "{\"prompt\":\"half a li");
                    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
                }
                Files.writeString(tmp.resolve("upload-still-writing.part"), "{\"prompt\":");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void staleStagingFilesAreRemovedAtStartUpAndFreshOnesStay() throws IOException {
        Path tmp = Infrastructure.get().artifactsDir().resolve("tmp");
        assertThat(tmp.resolve("upload-killed-1.part")).doesNotExist();
        assertThat(tmp.resolve("upload-killed-2.part")).doesNotExist();
        assertThat(tmp.resolve("upload-still-writing.part")).exists();
        assertThat(Files.readString(Path.of("target", "quarkus.log"))).contains("collection (at start-up): removed 2 stale"
                + " staging file(s)");
        assertThat(counted("staging")).isGreaterThanOrEqualTo(2);
        Files.delete(tmp.resolve("upload-still-writing.part"));
    }

    @Test
    void ownArtifactsNothingPointsAtAreCollectedOthersStay() throws Exception {
        Path store = Infrastructure.get().artifactsDir();
        double before = counted("artifact");
        String orphan = storeBytes(store, "bytes published by a transaction that never committed");
        String othersService = storeBytes(store, "a checkpoint the trainer stored");
        stored(orphan, Instant.now().minus(Duration.ofHours(1)));
        TeamIdentity team = TestTeams.newTeam("collected");
        String content = DatasetFlowIT.classificationFile(30);
        String fileId = DatasetFlowIT.upload(team, "kept.jsonl", content, false).then().statusCode(200).extract().path("id");
        String kept = ArtifactStore.idOf(sha256(content.getBytes(StandardCharsets.UTF_8)));
        stored(kept, Instant.now().minus(Duration.ofHours(1)));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (StoreContents.exists(orphan) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(StoreContents.exists(orphan)).as("orphan collected").isFalse();
        assertThat(StoreContents.exists(othersService)).as("another service's artifact").isTrue();
        assertThat(StoreContents.exists(kept)).as("the file's content").isTrue();
        String path = "/v1/files/" + fileId + "/content";
        assertThat(TestTeams.as(team).get(path).then().statusCode(200).extract().asString()).isEqualTo(content);
        assertThat(counted("artifact")).isGreaterThan(before);
        assertThat(Files.readString(Path.of("target", "quarkus.log"))).containsPattern(
                "collection \\(periodic\\): removed \\d+ stale staging file\\(s\\) idle for over PT10M and [1-9]\\d* artifact");
    }

    private static String storeBytes(Path store, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String hex = sha256(bytes);
        Path file = store.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return ArtifactStore.idOf(hex);
    }

    /** Records the artifact as stored by the dataset service at {@code at}. */
    private static void stored(String artifactId, Instant at) throws Exception {
        Infrastructure infrastructure = Infrastructure.get();
        try (Connection db = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(),
                infrastructure.password());
                PreparedStatement upsert = db.prepareStatement("insert into dataset.stored_artifact (artifact_id, stored_at)"
                        + " values (?, ?) on conflict (artifact_id) do update set stored_at = excluded.stored_at")) {
            upsert.setString(1, artifactId);
            upsert.setTimestamp(2, Timestamp.from(at));
            upsert.executeUpdate();
        }
    }

    /** The collected-artifacts counter of this kind, from the service's Prometheus endpoint. */
    private static double counted(String kind) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("^tunewright_artifacts_collected_total\\{[^}]*kind=\"" + kind + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertThat(value.find()).as("metric of kind " + kind + " in\n" + metrics).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
