package dev.tunewright.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.LocalArtifactStore;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.eval.testing.EvalCalls;
import dev.tunewright.eval.testing.EvalTestResource;
import dev.tunewright.testing.Infrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Chat completions of the packaged service, streamed as a client receives them: time to the first content chunk
 * and decode tokens per second, base model against the same base with a fine-tuned adapter applied (not merged),
 * measured side by side in one run, requests alternating. The model has SmolLM2-135M's shape with random weights
 * and no EOS, so every answer is exactly 64 tokens; greedy. Off unless {@code TUNEWRIGHT_BENCHMARK=1}:
 * {@code TUNEWRIGHT_BENCHMARK=1 mvn -B -pl eval-service -am verify -Dtest=none -Dit.test=ChatCompletionsBenchmarkIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EvalTestResource.class)
@EnabledIfEnvironmentVariable(named = "TUNEWRIGHT_BENCHMARK", matches = "1")
class ChatCompletionsBenchmarkIT {

    static final int TOKENS = 64;
    static final int ROUNDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One streamed answer: seconds to the first content chunk, to the last, and the tokens it had. */
    record Timing(double firstToken, double total, long tokens) {
        double decodeTokensPerSecond() {
            return (tokens - 1) / (total - firstToken);
        }
    }

    @Test
    void adapterOverheadOnTimeToFirstTokenAndTokensPerSecond() throws Exception {
        Path models = EvalTestResource.modelsDir();
        Path model = models.resolve("bench-small");
        if (!Files.isDirectory(model)) {
            BenchModels.small(model);
        }
        String adapter = BenchModels.adapter(model, Files.createTempDirectory("bench-chat"),
                new LocalArtifactStore(Infrastructure.get().artifactsDir()));
        TeamIdentity team = EvalCalls.newTeam("bench");
        String jobId = "ftjob-" + UUID.randomUUID();
        String fineTuned = "ft:bench-small:bench::" + jobId;
        EvalCalls.publish(JobSucceeded.of(team.teamId(), jobId, adapter, "bench-small", 1, 1.0, null, fineTuned, null,
                new JobLineage("bench-small", null, null, null, null, null, null, null, Map.of(), 1, "bench"), null,
                Map.of("enabled", false)));
        EvalCalls.awaitFineTuned(team, fineTuned, Duration.ofMinutes(2));
        System.out.println("machine: " + BenchModels.machine() + "; service PyTorch intra-op threads: 1");
        for (int i = 0; i < 2; i++) {
            stream(team, "bench-small");
            stream(team, fineTuned);
        }
        Timing[] base = new Timing[ROUNDS];
        Timing[] tuned = new Timing[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            base[round] = stream(team, "bench-small");
            tuned[round] = stream(team, fineTuned);
        }
        double baseFirst = median(base, Timing::firstToken);
        double tunedFirst = median(tuned, Timing::firstToken);
        double baseRate = median(base, Timing::decodeTokensPerSecond);
        double tunedRate = median(tuned, Timing::decodeTokensPerSecond);
        System.out.printf(Locale.ROOT, "chat completions, SmolLM2-135M shape, %d tokens, %d rounds: time to first token"
                        + " base %.0f ms, adapter %.0f ms (%+.1f%%); decode tokens/s base %.2f, adapter %.2f (%+.1f%%)%n",
                TOKENS, ROUNDS, 1000 * baseFirst, 1000 * tunedFirst, 100 * (tunedFirst / baseFirst - 1), baseRate,
                tunedRate, 100 * (tunedRate / baseRate - 1));
    }

    private static Timing stream(TeamIdentity team, String model) throws Exception {
        String path = "/v1/chat/completions";
        String body = JSON.writeValueAsString(Map.of("model", model, "stream", true, "temperature", 0, "max_tokens", TOKENS,
                "stream_options", Map.of("include_usage", true),
                "messages", List.of(Map.of("role", "user", "content", "the big apple is very old"))));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .header(IdentitySigner.HEADER, EvalCalls.identity(team, "POST", path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long started = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new AssertionError(model + " answered " + response.statusCode());
        }
        long first = 0;
        long last = 0;
        long tokens = 0;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            String content = chunk.path("choices").path(0).path("delta").path("content").asText("");
            if (!content.isEmpty()) {
                last = System.nanoTime();
                first = first == 0 ? last : first;
            }
            if (chunk.path("usage").has("completion_tokens")) {
                tokens = chunk.path("usage").path("completion_tokens").asLong();
            }
        }
        if (tokens != TOKENS) {
            throw new AssertionError(model + " generated " + tokens + " tokens, not " + TOKENS);
        }
        return new Timing((first - started) / 1e9, (last - started) / 1e9, tokens);
    }

    private static double median(Timing[] timings, java.util.function.ToDoubleFunction<Timing> value) {
        double[] values = Arrays.stream(timings).mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }
}
