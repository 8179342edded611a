package dev.tunewright.registry.service;

import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelRef;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.readiness.ServingReadiness;
import dev.tunewright.registry.repository.AdapterVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;

/** A version's base model through the deployment's one model policy ({@link ModelCatalog}). */
@ApplicationScoped
public class BaseModels {

    private final ModelCatalog catalog;

    public BaseModels(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** Hub ids are {@code org/name}; installed models are bare names and local folders absolute paths. */
    public static boolean isHub(String baseModel) {
        return !baseModel.startsWith("/") && baseModel.indexOf('/') > 0;
    }

    /**
     * The base's folder, downloading a hub model into the Hugging Face cache when it is not there.
     *
     * @throws ApiException when the deployment no longer serves the base (a lasting answer)
     * @throws IOException  when the hub cannot be reached or the download fails (worth another try)
     */
    public Path folder(AdapterVersion v) throws IOException {
        String spec = v.baseModelRevision == null || !isHub(v.baseModel) ? v.baseModel : v.baseModel + "@" + v.baseModelRevision;
        ModelRef ref = catalog.check(spec, "base_model");
        return catalog.folder(ref);
    }

    /**
     * The base as the readiness check needs it; a base the deployment no longer serves is described, not thrown.
     *
     * @throws IOException when the base cannot be fetched for a passing reason
     */
    public ServingReadiness.Base forReadiness(AdapterVersion v) throws IOException {
        Path folder = null;
        String unavailable = null;
        try {
            folder = folder(v);
        } catch (ApiException e) {
            unavailable = e.getMessage();
        }
        return new ServingReadiness.Base(v.baseModel, v.baseModelRevision, v.baseWeightsSha256, isHub(v.baseModel), folder,
                unavailable);
    }
}
