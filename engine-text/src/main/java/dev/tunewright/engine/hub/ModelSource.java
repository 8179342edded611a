package dev.tunewright.engine.hub;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Resolves the {@code DIR_OR_ID} argument of the CLI and the services: an existing folder is used
 * as it is; anything else must be a hub id, optionally {@code id@revision}, and is downloaded (or,
 * with {@code HF_HUB_OFFLINE=1}, taken from the cache only).
 */
public final class ModelSource {

    public static final String DEFAULT_REVISION = "main";

    private ModelSource() {
    }

    public static Path resolve(String dirOrId, HubClient hub) throws IOException {
        ModelReference model = ModelReference.parse(dirOrId);
        if (model.local()) {
            return Path.of(dirOrId);
        }
        if (!HubClient.REPO_ID.matcher(model.id()).matches() || !model.id().contains("/")) {
            throw new HubException("'" + dirOrId + "' is neither an existing folder nor a hub model id (org/name[@revision])");
        }
        return hub.download(model.id(), model.revisionOrDefault());
    }
}
