package dev.tunewright.gateway.proxy;

import dev.tunewright.gateway.config.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway's readiness says which backend is down: each backend's own readiness is asked in parallel and shown by
 * name ({@code UP}, {@code DOWN (503)} or {@code unreachable}). With {@code tunewright.gateway.readiness-requires-backends}
 * (the default) the gateway is ready only when every backend is; off, it reports them and stays ready, for
 * deployments where one backend being down must not take the whole API out of rotation.
 */
@Readiness
@ApplicationScoped
public class BackendReadiness implements AsyncHealthCheck {

    static final String NAME = "backends";
    static final String UP = "UP";
    private static final String READY_PATH = "/q/health/ready";

    private final List<RouteTable.Backend> backends;
    private final boolean required;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public BackendReadiness(ProxyRoutes routes, GatewayConfig config) {
        this.backends = routes.backends().stream().sorted(Comparator.comparing(RouteTable.Backend::name)).toList();
        this.required = config.readinessRequiresBackends();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Map<String, CompletableFuture<String>> probes = new LinkedHashMap<>();
        for (RouteTable.Backend backend : backends) {
            HttpRequest request = HttpRequest.newBuilder(URI.create((backend.ssl() ? "https://" : "http://") + backend.host()
                    + ":" + backend.port() + READY_PATH)).timeout(Duration.ofSeconds(2)).GET().build();
            probes.put(backend.name(), client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> response.statusCode() == 200 ? UP : "DOWN (" + response.statusCode() + ")")
                    .exceptionally(failure -> "unreachable"));
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(probes.values().toArray(CompletableFuture[]::new))
                .thenApply(all -> {
                    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
                    boolean allUp = true;
                    for (Map.Entry<String, CompletableFuture<String>> probe : probes.entrySet()) {
                        String status = probe.getValue().join();
                        response.withData(probe.getKey(), status);
                        allUp &= status.equals(UP);
                    }
                    return response.status(allUp || !required).build();
                }));
    }
}
