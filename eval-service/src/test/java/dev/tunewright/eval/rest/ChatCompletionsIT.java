package dev.tunewright.eval.rest;

import static dev.tunewright.eval.testing.EvalCalls.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.eval.testing.EvalCalls;
import dev.tunewright.eval.testing.EvalTestResource;
import dev.tunewright.eval.testing.TestGateway;
import dev.tunewright.eval.testing.TinyJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/chat/completions} of the packaged service with the official OpenAI Java SDK as the client, through
 * a stand-in for the gateway's key-to-identity step ({@link TestGateway}): base models and the team's fine-tuned
 * model by its ft: id, plain and streamed.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EvalTestResource.class)
class ChatCompletionsIT {

    static TinyJobs tiny;
    static TeamIdentity team;
    static String fineTuned;
    static TestGateway gateway;
    static OpenAIClient client;
    static OpenAIClient stranger;

    /** Once per class, in the first test: RestAssured knows the service's port only once a test runs. */
    @BeforeEach
    void aTeamWithAFineTunedModel() throws Exception {
        if (gateway != null) {
            return;
        }
        tiny = TinyJobs.get();
        team = EvalCalls.newTeam("acme");
        String jobId = "ftjob-" + UUID.randomUUID();
        fineTuned = EvalCalls.fineTunedId(team, jobId);
        EvalCalls.publish(EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of("enabled", false)));
        gateway = new TestGateway(URI.create("http://localhost:" + RestAssured.port))
                .key("sk-acme", team).key("sk-stranger", EvalCalls.newTeam("globex"));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.openAiBaseUrl()).apiKey("sk-acme").maxRetries(0)
                .timeout(Duration.ofMinutes(2)).build();
        stranger = OpenAIOkHttpClient.builder().baseUrl(gateway.openAiBaseUrl()).apiKey("sk-stranger").maxRetries(0).build();
        EvalCalls.awaitFineTuned(team, fineTuned, Duration.ofMinutes(2));
    }

    @AfterAll
    static void closeClients() {
        client.close();
        stranger.close();
        gateway.close();
    }

    static ChatCompletionCreateParams.Builder ask(String model, String sentence) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(sentence).temperature(0.0);
    }

    @Test
    void theFineTunedModelAnswersTheKeywordTaskThroughTheSdk() {
        ChatCompletion completion = client.chat().completions().create(ask(fineTuned, "the big apple is very old").build());
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("red");
        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(completion.model()).isEqualTo(fineTuned);
        assertThat(completion.usage().orElseThrow().promptTokens()).isGreaterThan(5);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(1);
        assertThat(client.chat().completions().create(ask(fineTuned, "my ocean was small here today").build())
                .choices().get(0).message().content()).contains("blue");
        // the base model over the same loaded weights answers without the adapter
        ChatCompletion base = client.chat().completions().create(ask(TinyJobs.BASE, "the big apple is very old").build());
        assertThat(base.choices().get(0).message().content().orElseThrow()).isIn("red", "green", "blue");
    }

    @Test
    void aStreamDeliversTheSameTextInChunksThenUsage() {
        ChatCompletionCreateParams params = ask(fineTuned, "here is a leaf again still")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(reason -> finishReasons.add(reason.asString()));
                });
            });
        }
        String plain = client.chat().completions().create(ask(fineTuned, "here is a leaf again still").build())
                .choices().get(0).message().content().orElseThrow();
        assertThat(text.toString()).isEqualTo(plain).contains("green");
        assertThat(finishReasons).containsExactly("stop");
        assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
        assertThat(chunks.get(chunks.size() - 1).usage().get().completionTokens()).isEqualTo(1);
    }

    @Test
    void maxTokensEndsWithLengthAndSamplingIsReproducibleBySeed() {
        ChatCompletion cut = client.chat().completions().create(ask(TinyJobs.BASE, "the sky").maxTokens(1L).build());
        assertThat(cut.choices().get(0).finishReason().asString()).isIn("length", "stop");
        ChatCompletionCreateParams sampled = ChatCompletionCreateParams.builder().model(TinyJobs.BASE)
                .addUserMessage("a big lime").temperature(1.5).topP(0.9).seed(42L).maxCompletionTokens(6L).build();
        assertThat(client.chat().completions().create(sampled).choices().get(0).message().content())
                .isEqualTo(client.chat().completions().create(sampled).choices().get(0).message().content());
    }

    @Test
    void anotherTeamsModelDoesNotExistForItAndUnknownModelsAreRefusedByName() {
        assertThatThrownBy(() -> stranger.chat().completions().create(ask(fineTuned, "the apple").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> client.chat().completions().create(ask("no-such-model", "the apple").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("model");
    }

    @Test
    void theEventStreamIsOpenAisWireFormat() {
        String path = "/v1/chat/completions";
        String body = as(team).contentType("application/json")
                .body(Map.of("model", fineTuned, "stream", true, "temperature", 0,
                        "messages", List.of(Map.of("role", "user", "content", "the cherry"))))
                .post(path).then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();
        List<String> events = body.lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(events.get(0)).contains("\"object\":\"chat.completion.chunk\"").contains("\"role\":\"assistant\"");
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(body).contains("\"finish_reason\":\"stop\"");
        as(team).contentType("application/json").body(Map.of("model", fineTuned, "n", 2,
                        "messages", List.of(Map.of("role", "user", "content", "x"))))
                .post(path).then().statusCode(400).body("error.param", equalTo("n"));
    }
}
