package dev.tunewright.common.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Which base models teams may name, shared by every service that takes a model in a request. The embedded stack
 * allows local folders (a developer's own downloads); a production deployment lists the hub ids it serves and
 * leaves local paths off, so a request can never point a service at an arbitrary path on the server.
 */
@ConfigMapping(prefix = "tunewright.models")
public interface ModelsConfig {

    /**
     * Installed models, one folder per model, named by the folder name ({@code TUNEWRIGHT_MODELS_DIR}). A request
     * may name an installed model by that name.
     */
    @WithDefault(".tunewright/models")
    String dir();

    /**
     * Hugging Face hub ids a request may name, optionally with {@code @revision}; {@code *} allows any hub id
     * ({@code TUNEWRIGHT_MODELS_ALLOWED}, comma-separated). Listed ids are what {@code GET /v1/models} shows.
     */
    @WithDefault("*")
    List<String> allowed();

    /**
     * Whether a request may name an absolute folder on the server ({@code TUNEWRIGHT_MODELS_ALLOW_LOCAL_PATHS}); the
     * embedded stack turns it on, production leaves it off.
     */
    @WithDefault("false")
    boolean allowLocalPaths();
}
