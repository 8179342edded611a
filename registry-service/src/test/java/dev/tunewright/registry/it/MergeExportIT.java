package dev.tunewright.registry.it;

import static dev.tunewright.registry.it.RegistryTesting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merged full-model export queued on the shared work queue, run by the packaged service's merge worker with the
 * engine's LoraMerge, downloaded, and loaded as a plain model that scores like base + adapter.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RegistryTestResource.class)
class MergeExportIT {

    @TempDir
    Path work;

    @Test
    void aMergedExportIsQueuedOnceRunAndDownloadable() throws Exception {
        TeamIdentity team = RegistryTesting.newTeam("acme");
        RegistryTesting.TrainedAdapter adapter = RegistryTesting.adapter(work, 4, List.of("all-linear"), 21);
        RegistryTesting.publish(RegistryTesting.succeeded(team, "ftjob-" + UUID.randomUUID(), "merged",
                adapter.artifactId(), RegistryTesting.lineage("ds-1", "d".repeat(64), "e".repeat(64), 1)));
        String version = "/v1/adapters/merged/versions/1";
        RegistryTesting.await("registered", () -> as(team).get(version).statusCode() == 200);

        String merge = version + "/merge";
        as(team).contentType("application/json").body(Map.of("dtype", "int4")).post(merge)
                .then().statusCode(400).body("error.param", equalTo("dtype"));
        String id = as(team).contentType("application/json").body(Map.of("dtype", "float32")).post(merge)
                .then().statusCode(202).body("status", equalTo("queued")).body("dtype", equalTo("float32"))
                .extract().path("id");
        as(team).contentType("application/json").body(Map.of("dtype", "fp32")).post(merge)
                .then().statusCode(200).body("id", equalTo(id));

        String status = version + "/merges/" + id;
        RegistryTesting.await("merge finished", () -> !List.of("queued", "running")
                .contains(as(team).get(status).<String>path("status")));
        as(team).get(status).then().statusCode(200).body("status", equalTo("succeeded"))
                .body("download_url", equalTo(status + "/download"));
        as(team).get(version).then().body("merges[0].id", equalTo(id));

        String download = status + "/download";
        byte[] zip = as(team).get(download).then().statusCode(200).extract().asByteArray();
        Path merged = Files.createDirectories(work.resolve("merged"));
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Files.write(merged.resolve(entry.getName()), in.readAllBytes());
            }
        }
        assertThat(merged.resolve("config.json")).exists();
        try (LanguageModel model = TinyModels.load(merged)) {
            List<double[]> logProbs = model.logProbs(RegistryTesting.SEQUENCES);
            for (int i = 0; i < logProbs.size(); i++) {
                double[] expected = adapter.logProbs().get(i);
                for (int t = 1; t < expected.length; t++) {
                    assertThat(logProbs.get(i)[t]).as("sequence %d token %d", i, t).isCloseTo(expected[t], within(1e-3));
                }
            }
        }
        TeamIdentity other = RegistryTesting.newTeam("globex");
        as(other).get(download).then().statusCode(404);
    }
}
