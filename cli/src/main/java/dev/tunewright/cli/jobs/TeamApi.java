package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.stack.StackException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The platform's public API as a team calls it through the gateway: JSON in and out, and Server-Sent Events. */
final class TeamApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final String apiKey;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A call answered with an error: the platform's own message, the status and the field it names. */
    static final class ApiException extends StackException {
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    TeamApi(String gatewayUrl, String apiKey) {
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.apiKey = apiKey;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = request(path).timeout(Duration.ofMinutes(2)).header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
            if (response.statusCode() / 100 != 2) {
                throw failure(method, path, response.statusCode(), json);
            }
            return json;
        } catch (IOException e) {
            throw new StackException("cannot reach the gateway at " + gatewayUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** Where a stream stopped: the last event id (to resume from) and whether the server said it was done. */
    record StreamEnd(String lastEventId, boolean done) {
    }

    /**
     * Reads a Server-Sent Events stream, handing each event's id and data to {@code onEvent} until it returns false,
     * the stream ends, or the data is {@code [DONE]}.
     */
    StreamEnd stream(String path, String lastEventId, EventHandler onEvent) {
        try {
            HttpRequest.Builder request = request(path).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                try (InputStream body = response.body()) {
                    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    throw failure("GET", path, response.statusCode(), text.isBlank() ? JSON.createObjectNode() : parse(text));
                }
            }
            String last = lastEventId;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).trim());
                    } else if (line.isEmpty() && data.length() > 0) {
                        if ("[DONE]".contentEquals(data)) {
                            return new StreamEnd(last, true);
                        }
                        if (id != null) {
                            last = id;
                        }
                        if (!onEvent.accept(id, parse(data.toString()))) {
                            return new StreamEnd(last, true);
                        }
                        id = null;
                        data.setLength(0);
                    }
                }
            }
            return new StreamEnd(last, false);
        } catch (IOException e) {
            throw new StackException("the event stream from " + gatewayUrl + " broke: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** One event of a stream; false stops reading. */
    @FunctionalInterface
    interface EventHandler {
        boolean accept(String id, JsonNode data);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + path)).header("Authorization", "Bearer " + apiKey);
    }

    private static ApiException failure(String method, String path, int status, JsonNode json) {
        JsonNode error = json.path("error");
        String message = error.path("message").asText("");
        String param = error.path("param").asText("");
        return new ApiException(status, method + " " + path + " answered " + status
                + (message.isEmpty() ? "" : ": " + message) + (param.isEmpty() || message.contains(param) ? "" : " (" + param + ")"));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new StackException("the gateway answered something that is not JSON: "
                    + text.substring(0, Math.min(200, text.length())));
        }
    }

}
