package dev.tunewright.eval.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Asks an OpenAI-compatible chat-completions endpoint ({@code POST {base_url}/chat/completions}) for one answer:
 * greedy, at most {@code max_tokens}, with the usage the provider reports (what its cost is computed from).
 * Calls answered 429 or 5xx, or not answered, are retried with backoff. The key travels only in the
 * Authorization header and appears in no message, log line or exception.
 */
public final class ReferenceClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** One answer with its usage (null where the provider reports none) and the wall time of the successful call. */
    public record Answer(String text, String finishReason, Integer promptTokens, Integer completionTokens,
            double latencyMs) {
    }

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final int retries;

    public ReferenceClient(String baseUrl, String model, String apiKey, Duration timeout, int retries) {
        this.endpoint = URI.create(baseUrl + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.retries = retries;
    }

    public String model() {
        return model;
    }

    /** The reference's answer to {@code messages}; an {@link IOException} says why there is none (never the key). */
    public Answer complete(List<Map<String, Object>> messages, int maxTokens) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.set("messages", JSON.valueToTree(messages));
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                Thread.sleep(Math.min(8000, 500L << (attempt - 1)));
            }
            long started = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = new IOException(endpoint + " did not answer: " + e.getMessage());
                continue;
            }
            double latencyMs = (System.nanoTime() - started) / 1e6;
            int status = response.statusCode();
            if (status / 100 == 2) {
                return parse(response.body(), latencyMs);
            }
            last = new IOException(endpoint + " answered " + status + ": " + errorMessage(response.body()));
            if (status != 429 && status < 500) {
                break;
            }
        }
        throw last;
    }

    private Answer parse(String body, double latencyMs) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException(endpoint + " answered with something that is not JSON");
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual() && !content.isNull()) {
            throw new IOException(endpoint + " answered without choices[0].message.content");
        }
        JsonNode usage = root.path("usage");
        return new Answer(content.isNull() ? "" : content.textValue(), choice.path("finish_reason").asText("stop"),
                usage.path("prompt_tokens").isInt() ? usage.get("prompt_tokens").intValue() : null,
                usage.path("completion_tokens").isInt() ? usage.get("completion_tokens").intValue() : null, latencyMs);
    }

    /** The provider's error message (OpenAI shape) or the start of the body; never request headers. */
    private static String errorMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                return message.textValue();
            }
        } catch (IOException ignored) {
            // not JSON: quote the start of it instead
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
