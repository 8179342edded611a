package dev.tunewright.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
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

    /** Per-team request rates, concurrent uploads and request body sizes. */
    Limits limits();

    /**
     * How long an API key replaced by {@code POST /admin/teams/{name}/keys/rotate} keeps working when the request
     * names no grace period (default 24 h): long enough to roll the new key out to every client.
     */
    @WithDefault("24h")
    Duration keyRotationGrace();

    /** The longest grace period a rotation may ask for (default 30 days). */
    @WithDefault("30d")
    Duration keyRotationMaxGrace();

    /**
     * Limits the gateway enforces for each team on the requests it proxies. They are counted per gateway instance:
     * behind N instances a team gets up to N times these.
     */
    interface Limits {

        /** Sustained requests a team may make per minute; 0 turns the request limit off (default 1200, 20 a second). */
        @WithDefault("1200")
        int requestsPerMinute();

        /** Requests a team may make at once above the sustained rate (default 200). */
        @WithDefault("200")
        int requestBurst();

        /** Uploads a team may have in flight at once; 0 turns the limit off (default 4). */
        @WithDefault("4")
        int concurrentUploads();

        /** {@code POST} paths that are uploads, counted by {@link #concurrentUploads()} (default {@code /v1/files}). */
        @WithDefault("/v1/files")
        List<String> uploadPaths();

        /** The largest request body of a path no {@link #bodyLimits()} entry covers (default 1 MiB: JSON APIs). */
        @WithDefault("1M")
        MemorySize maxBody();

        /**
         * {@code PREFIX=SIZE} entries ({@code /v1/chat/completions=8M}); the longest matching prefix wins, and
         * {@code none} leaves the size to the service (the dataset service enforces its own upload limit).
         */
        @WithDefault("/v1/files=none,/v1/chat/completions=8M")
        List<String> bodyLimits();
    }

    interface Route {
        /** {@code http://host:port} (or https) of the service; requests keep their path unchanged. */
        String url();

        /** Path prefixes such as {@code /v1/files}; each matches itself and every path below it. */
        List<String> prefixes();
    }
}
