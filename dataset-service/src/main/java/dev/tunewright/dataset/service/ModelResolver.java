package dev.tunewright.dataset.service;

import dev.tunewright.common.rest.ApiException;
import dev.tunewright.engine.hub.HubClient;
import dev.tunewright.engine.hub.HubSettings;
import dev.tunewright.engine.hub.ModelSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Finds the folder of a {@code base_model} named in a request: a model installed under the platform's models
 * folder by name, or a Hugging Face hub id from the standard cache (downloaded when the hub is reachable).
 * A caller can never point the service at an arbitrary path on the server.
 */
@ApplicationScoped
public class ModelResolver {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?(@[A-Za-z0-9._-]{1,64})?");

    private final Path modelsDir;

    public ModelResolver(@ConfigProperty(name = "tunewright.models.dir", defaultValue = ".tunewright/models") String modelsDir) {
        this.modelsDir = Path.of(modelsDir).toAbsolutePath().normalize();
    }

    public Path resolve(String baseModel) {
        if (!NAME.matcher(baseModel).matches() || baseModel.contains("..")) {
            throw ApiException.badRequest("invalid_value", "base_model",
                    "base_model must be an installed model name or a hub id like Qwen/Qwen2.5-0.5B-Instruct, was '" + baseModel + "'");
        }
        Path installed = modelsDir.resolve(baseModel).normalize();
        if (installed.startsWith(modelsDir) && Files.isDirectory(installed)) {
            return installed;
        }
        if (!baseModel.contains("/")) {
            throw ApiException.badRequest("unknown_model", "base_model", "no model '" + baseModel + "' is installed in "
                    + modelsDir + " and it is not a hub id (org/name)");
        }
        try {
            return ModelSource.resolve(baseModel, new HubClient(HubSettings.fromEnvironment()));
        } catch (IOException e) {
            throw ApiException.badRequest("unknown_model", "base_model", "cannot load base model '" + baseModel + "': "
                    + e.getMessage());
        }
    }
}
