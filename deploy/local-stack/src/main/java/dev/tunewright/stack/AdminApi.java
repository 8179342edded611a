package dev.tunewright.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The gateway's admin API (teams and keys), authenticated with the stack's admin token. */
public final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final String adminToken;
    private final HttpClient client;

    public AdminApi(String gatewayUrl, String adminToken) {
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.adminToken = adminToken;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A failed call with the gateway's own explanation. */
    public static final class ApiException extends StackException {
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Creates a team; the answer carries its first API key, which the gateway shows only this once. */
    public JsonNode createTeam(String name) {
        return send("POST", "/admin/teams", Map.of("name", name), 201);
    }

    public JsonNode listTeams() {
        return send("GET", "/admin/teams", null, 200);
    }

    public JsonNode createKey(String team) {
        return send("POST", "/admin/teams/" + encode(team) + "/keys", Map.of(), 201);
    }

    /**
     * Issues a new key to {@code team}; its current keys (or only {@code keyId}) keep working for {@code graceSeconds}
     * (null: the gateway's default), then are refused.
     */
    public JsonNode rotateKeys(String team, Long graceSeconds, String keyId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (graceSeconds != null) {
            body.put("grace_seconds", graceSeconds);
        }
        if (keyId != null) {
            body.put("key_id", keyId);
        }
        return send("POST", "/admin/teams/" + encode(team) + "/keys/rotate", body, 201);
    }

    public JsonNode revokeKey(String keyId) {
        return send("DELETE", "/admin/keys/" + encode(keyId), null, 200);
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = parse(response.body());
            if (response.statusCode() != expected) {
                throw new ApiException(response.statusCode(), describeError(method, path, response.statusCode(), json, response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new StackException("cannot reach the gateway at " + gatewayUrl + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while calling the gateway", e);
        }
    }

    private static String describeError(String method, String path, int status, JsonNode json, String raw) {
        JsonNode error = json == null ? null : json.path("error");
        String message = error != null && error.hasNonNull("message") ? error.get("message").asText() : abbreviate(raw);
        String code = error != null && error.hasNonNull("code") ? ", " + error.get("code").asText() : "";
        return message + " (HTTP " + status + code + " from " + method + " " + path + ")";
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String raw) {
        if (raw == null || raw.isBlank()) {
            return "no explanation given";
        }
        String line = raw.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the stack running?)";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
