package dev.tunewright.engine.hub;

import java.io.IOException;
import java.nio.file.Files;
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
        Path asPath = Path.of(dirOrId);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        int at = dirOrId.lastIndexOf('@');
        String id = at > 0 ? dirOrId.substring(0, at) : dirOrId;
        String revision = at > 0 ? dirOrId.substring(at + 1) : DEFAULT_REVISION;
        if (!HubClient.REPO_ID.matcher(id).matches() || !id.contains("/")) {
            throw new HubException("'" + dirOrId + "' is neither an existing folder nor a hub model id (org/name[@revision])");
        }
        return hub.download(id, revision);
    }
}
