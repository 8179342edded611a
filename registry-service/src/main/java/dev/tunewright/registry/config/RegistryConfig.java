package dev.tunewright.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a deployment decides about its registry: the serving limits it checks against and the promotion gate. */
@ConfigMapping(prefix = "tunewright.registry")
public interface RegistryConfig {

    /**
     * The {@code --max-lora-rank} the serving stack runs with ({@code TUNEWRIGHT_REGISTRY_MAX_LORA_RANK}); an adapter
     * of a higher rank fails the readiness check. Must be one of vLLM's allowed values; 16 is vLLM's default.
     */
    @WithDefault("16")
    int maxLoraRank();

    /** The promotion gate. */
    Gate gate();

    /** Workers of the readiness checks and merged exports (the shared work queue, kinds {@code readiness} and {@code merge}). */
    Workers workers();

    /**
     * Where readiness checks and merges unpack adapters and write merged models before storing them
     * ({@code TUNEWRIGHT_REGISTRY_WORK_DIR}); the system's temporary folder when unset. A merge needs room for one
     * full model.
     */
    Optional<String> workDir();

    /** Listing limits. */
    @WithDefault("100")
    int maxPageSize();

    interface Gate {

        /**
         * Aliases that only move through the gate ({@code TUNEWRIGHT_REGISTRY_GATE_ALIASES}); others (candidate,
         * staging, ...) move freely.
         */
        @WithDefault("production")
        List<String> aliases();

        /**
         * How far a version may fall below the one holding a gated alias on the primary metric (absolute, in the
         * metric's own units) before the move is refused as a regression.
         */
        @WithDefault("0.01")
        double regressionMargin();
    }

    interface Workers {

        /** Readiness checks run at once per registration; a check reads only the adapter and the base's config. */
        @WithDefault("1")
        int readinessConcurrency();

        /** Merged exports hold a base model's weights one shard at a time; one at a time by default. */
        @WithDefault("1")
        int mergeConcurrency();

        /** How long a claim holds without a heartbeat. */
        @WithDefault("60s")
        Duration leaseTime();

        @WithDefault("10s")
        Duration heartbeatEvery();

        /** How often idle workers look for expired leases; new items wake them at once. */
        @WithDefault("5s")
        Duration pollEvery();

        /** When an item failed for a passing reason (the hub unreachable), how long until it is tried again. */
        @WithDefault("30s")
        Duration retryDelay();

        /** Tries before a readiness check or merge that keeps failing for passing reasons is recorded as failed. */
        @WithDefault("5")
        int maxAttempts();
    }
}
