package dev.tunewright.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gateway settings; the route defaults live in application.properties because map entries have no annotations. */
@ConfigMapping(prefix = "tunewright.gateway")
public interface GatewayConfig {

    /** Bearer token of the admin API ({@code TUNEWRIGHT_ADMIN_TOKEN}); absent means the admin API is disabled. */
    Optional<String> adminToken();

    /**
     * How long a resolved API key (or an unknown one) is cached. A key revoked on another gateway instance keeps
     * working at most this long; on the instance that revoked it, it stops at once.
     */
    @WithDefault("5s")
    Duration keyCacheTtl();

    /** Backends by name (dataset, trainer, eval, registry), each with its base URL and the path prefixes it serves. */
    Map<String, Route> routes();

    /** Timeout to open a connection to a backend before answering 502. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * A request body must bring at least {@link #minBodyBytes()} in every window of this length in which the backend
     * was ready for more, or it is answered 408 and its connection closed: a client that announces an upload and
     * sends nothing, or trickles it, must not hold a backend (default 30 s).
     */
    @WithDefault("30s")
    Duration bodyWindow();

    /** See {@link #bodyWindow()} (default 16 KiB, about 550 bytes a second). */
    @WithDefault("16384")
    long minBodyBytes();

    /**
     * Whether the gateway's readiness requires every backend to be ready (default true). Either way readiness names
     * each backend with its state; off suits deployments where one backend down must not take the API out.
     */
    @WithDefault("true")
    boolean readinessRequiresBackends();

    /** Concurrent connections per backend; long-lived SSE streams each hold one. */
    @WithDefault("200")
    int maxConnectionsPerBackend();

    interface Route {
        /** {@code http://host:port} (or https) of the service; requests keep their path unchanged. */
        String url();

        /** Path prefixes such as {@code /v1/files}; each matches itself and every path below it. */
        List<String> prefixes();
    }
}
