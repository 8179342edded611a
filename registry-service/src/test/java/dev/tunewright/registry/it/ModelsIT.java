package dev.tunewright.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.models.Model;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}} through the official OpenAI Java SDK. */
@QuarkusIntegrationTest
@QuarkusTestResource(RegistryTestResource.class)
class ModelsIT {

    @TempDir
    Path work;

    /**
     * The SDK as a team's client; the header the gateway would add is signed for the one path this client calls
     * (the SDK percent-encodes a slash in a model id, as the gateway then forwards it).
     */
    private static OpenAIClient client(TeamIdentity team, String rawPath) {
        return OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + RestAssured.port + "/v1").apiKey("unused")
                .maxRetries(0).putHeader(IdentitySigner.HEADER, RegistryTesting.sign(team, "GET", rawPath)).build();
    }

    @Test
    void baseModelsOfTheDeploymentAndTheTeamsOwnFineTunedModels() throws Exception {
        RegistryTesting.base();
        TeamIdentity team = RegistryTesting.newTeam("acme");
        String jobId = "ftjob-" + UUID.randomUUID();
        RegistryTesting.publish(RegistryTesting.succeeded(team, jobId, "classifier",
                RegistryTesting.adapter(work, 4, List.of("q_proj"), 9).artifactId(),
                RegistryTesting.lineage("ds-1", "d".repeat(64), "e".repeat(64), 1)));
        String fineTuned = "ft:" + RegistryTesting.BASE + ":acme:classifier:" + jobId;
        String versions = "/v1/adapters/classifier/versions/1";
        RegistryTesting.await("registered", () -> RegistryTesting.as(team).get(versions).statusCode() == 200);

        List<Model> models = client(team, "/v1/models").models().list().data();
        assertThat(models).extracting(Model::id)
                .contains(RegistryTesting.BASE, RegistryTestResource.LISTED_HUB_MODEL, fineTuned);
        Model mine = models.stream().filter(m -> m.id().equals(fineTuned)).findFirst().orElseThrow();
        assertThat(mine.ownedBy()).isEqualTo("acme");
        assertThat(mine.created()).isPositive();
        assertThat(models.stream().filter(m -> m.id().equals(RegistryTesting.BASE)).findFirst().orElseThrow().ownedBy())
                .isEqualTo("system");

        assertThat(client(team, "/v1/models/" + fineTuned).models().retrieve(fineTuned).ownedBy()).isEqualTo("acme");
        String hub = RegistryTestResource.LISTED_HUB_MODEL;
        assertThat(client(team, "/v1/models/" + hub.replace("/", "%2F")).models().retrieve(hub).id()).isEqualTo(hub);
        assertThatThrownBy(() -> client(team, "/v1/models/ft:nothing").models().retrieve("ft:nothing"))
                .isInstanceOf(NotFoundException.class);

        TeamIdentity other = RegistryTesting.newTeam("globex");
        assertThat(client(other, "/v1/models").models().list().data()).extracting(Model::id).doesNotContain(fineTuned)
                .contains(RegistryTesting.BASE);
        assertThatThrownBy(() -> client(other, "/v1/models/" + fineTuned).models().retrieve(fineTuned))
                .isInstanceOf(NotFoundException.class);
    }
}
