package dev.tunewright.engine.hub;

import java.util.Optional;
import java.util.OptionalLong;

/** One file of a hub repository as the API lists it; LFS files carry their sha256 and size. */
public record RepoFile(String name, OptionalLong size, Optional<String> sha256, Optional<String> blobId) {
}
