package dev.tunewright.dataset.rest;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service called with the JDK's HTTP client as a team, for what RestAssured does not do well: many requests
 * from several threads at once, and bodies sent exactly as written.
 */
final class SignedHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SignedHttp() {
    }

    static URI uri(String target) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + target);
    }

    /** {@code target} is the raw path with its query, if any; the identity header is signed for it. */
    static HttpRequest.Builder request(TeamIdentity team, String method, String target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(60));
        return team == null ? builder : builder.header(IdentitySigner.HEADER, TestTeams.sign(team, method, target));
    }

    static HttpResponse<String> upload(TeamIdentity team, Multipart form) {
        return send(request(team, "POST", "/v1/files").header("Content-Type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> sendForBytes(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return CLIENT.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
