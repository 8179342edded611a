package dev.tunewright.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.IdentityKeys;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.RequestIdFilter;
import dev.tunewright.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * Calls the dataset service as the team of the current request: each call carries an identity header signed with
 * the shared secret for its own method and path, exactly as the gateway signs, so the dataset service scopes the
 * call to the caller's files and answers another team's file with 404. The trainer never reads the dataset
 * service's tables; it learns where a dataset's splits are from the {@code dataset.ingested} event.
 */
@ApplicationScoped
public class DatasetServiceClient {

    /** A call answered with an error: its status and the dataset service's error object. */
    public record Failure(int status, String code, String param, String message) {
    }

    /** What a call returned: the JSON answer, or the failure. */
    public record Answer(JsonNode body, Failure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final TrainerConfig config;
    private final IdentityKeys keys;
    private final ObjectMapper json;
    private final HttpClient http;

    public DatasetServiceClient(TrainerConfig config, IdentityKeys keys, ObjectMapper json) {
        this.config = config;
        this.keys = keys;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Answer get(TeamIdentity team, String path) {
        return send(team, "GET", path, null);
    }

    public Answer post(TeamIdentity team, String path, Map<String, Object> body) {
        return send(team, "POST", path, body);
    }

    private Answer send(TeamIdentity team, String method, String path, Map<String, Object> body) {
        String base = config.datasetServiceUrl().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(config.datasetServiceTimeout())
                .header(IdentitySigner.HEADER, keys.signer().sign(team, method, path))
                .header("Accept", "application/json");
        Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            request.header(RequestIdFilter.HEADER, requestId.toString());
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
            if (response.statusCode() / 100 == 2) {
                return new Answer(answer, null);
            }
            JsonNode error = answer.path("error");
            if (response.statusCode() >= 500 || !error.isObject()) {
                throw unavailable(method + " " + path + " answered " + response.statusCode());
            }
            return new Answer(answer, new Failure(response.statusCode(), error.path("code").asText(null),
                    error.path("param").asText(null), error.path("message").asText("")));
        } catch (IOException e) {
            throw unavailable(method + " " + path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    private static ApiException unavailable(String detail) {
        return new ApiException(503, "dataset_service_unavailable", null,
                "the dataset service cannot be reached to check the job's files; try again shortly (" + detail + ")");
    }
}
