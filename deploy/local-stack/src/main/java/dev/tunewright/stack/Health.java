package dev.tunewright.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Readiness as the services report it, the same probe for the launcher's wait and for `stack status`. */
public final class Health {

    public static final String READY_PATH = "/q/health/ready";
    public static final String UP = "UP";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Health() {
    }

    /** UP, DOWN (with the status code) or unreachable; never throws. */
    public static String check(String baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + READY_PATH))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            int status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? UP : "DOWN (" + status + ")";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    public static boolean isUp(String baseUrl) {
        return UP.equals(check(baseUrl));
    }
}
