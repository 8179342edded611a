package dev.tunewright.engine.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a {@code DIR_OR_ID} names: an existing folder as it is, or a hub id with an optional {@code @revision}
 * (the last {@code @}; a folder whose path holds an {@code @} stays a folder). The one parser of that syntax, for
 * downloading and for recording the base model in an adapter.
 *
 * @param id       the folder as given, or the hub id without its revision
 * @param revision the revision after {@code @}, null when none was given (or for a folder)
 * @param local    whether {@code id} is an existing folder
 */
public record ModelReference(String id, String revision, boolean local) {

    public static ModelReference parse(String dirOrId) {
        if (Files.isDirectory(Path.of(dirOrId))) {
            return new ModelReference(dirOrId, null, true);
        }
        int at = dirOrId.lastIndexOf('@');
        return at > 0 ? new ModelReference(dirOrId.substring(0, at), dirOrId.substring(at + 1), false)
                : new ModelReference(dirOrId, null, false);
    }

    /** The revision to download: the one given, else {@link ModelSource#DEFAULT_REVISION}. */
    public String revisionOrDefault() {
        return revision == null ? ModelSource.DEFAULT_REVISION : revision;
    }
}
