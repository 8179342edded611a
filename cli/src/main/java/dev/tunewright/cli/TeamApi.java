package dev.tunewright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.stack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The platform's API as a team calls it: through the gateway with a team API key. Errors come back as the API's own
 * message (OpenAI's {@code error} object), never as a stack trace.
 */
public final class TeamApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final String apiKey;
    private final HttpClient client;

    public TeamApi(String gatewayUrl, String apiKey) {
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.apiKey = apiKey;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A call the API refused, with its status, its error code and its message. */
    public static final class ApiException extends StackException {
        private final int status;
        private final String code;

        ApiException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    public String gatewayUrl() {
        return gatewayUrl;
    }

    public String apiKey() {
        return apiKey;
    }

    /** GET with query parameters; null values are left out. */
    public JsonNode get(String path, Map<String, ?> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue()))).collect(Collectors.joining("&"));
        return json(request(q.isEmpty() ? path : path + "?" + q).GET().build());
    }

    /** PUT, POST, PATCH or DELETE with a JSON body (none when {@code body} is null). */
    public JsonNode send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot send " + body + ": " + e.getMessage(), e);
        }
        return json(request(path).header("Content-Type", "application/json").method(method, publisher).build());
    }

    /**
     * POST of a multipart form, as {@code curl -F} sends it: the text {@code fields}, then {@code file} streamed from
     * disk under the form field {@code file}.
     */
    public JsonNode upload(String path, Map<String, String> fields, Path file) {
        String boundary = "tunewright-" + java.util.UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(file.getFileName()).append("\"\r\nContent-Type: application/jsonl\r\n\r\n");
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head.toString()),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        } catch (java.io.FileNotFoundException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return json(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build());
    }

    /** Streams a download into {@code target}, replacing it only once the whole body arrived. */
    public void download(String path, Path target) {
        HttpResponse<InputStream> response = call(request(path).setHeader("Accept", "*/*").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new StackException("cannot save " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where an event stream stopped: the last event id seen and whether the server ended it ({@code [DONE]}). */
    public record StreamEnd(String lastEventId, boolean done) {
    }

    /** One event of a stream, its id (null when it has none) and its JSON data; false stops reading. */
    @FunctionalInterface
    public interface EventHandler {
        boolean accept(String id, JsonNode data);
    }

    /**
     * Reads a Server-Sent Events stream from {@code Last-Event-ID} {@code lastEventId} (null: from the start), handing
     * each event to {@code onEvent} until it returns false, the data is {@code [DONE]} or the stream ends.
     */
    public StreamEnd stream(String path, String lastEventId, EventHandler onEvent) {
        HttpRequest.Builder builder = request(path).setHeader("Accept", "text/event-stream");
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = call(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        String last = lastEventId;
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            if (response.statusCode() / 100 != 2) {
                throw error(response.statusCode(), lines.lines().collect(Collectors.joining("\n")));
            }
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
                    last = id == null ? last : id;
                    if (!onEvent.accept(id, JSON.readTree(data.toString()))) {
                        return new StreamEnd(last, true);
                    }
                    id = null;
                    data.setLength(0);
                }
            }
            return new StreamEnd(last, false);
        } catch (IOException e) {
            throw new StackException("the event stream of " + path + " broke: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + pathAndQuery)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
    }

    private JsonNode json(HttpRequest request) {
        HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new StackException(request.method() + " " + request.uri().getPath() + " answered with something other"
                    + " than JSON: " + e.getOriginalMessage());
        }
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new StackException("cannot reach the gateway at " + gatewayUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while calling " + request.uri().getPath());
        }
    }

    private static ApiException error(int status, String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                return new ApiException(status, error.path("code").asText(null), error.path("message").asText());
            }
        } catch (JsonProcessingException e) {
            // not an API error object; answer with the status below
        }
        return new ApiException(status, null, "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body.strip()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
