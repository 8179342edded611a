package dev.tunewright.common.artifact;

import java.util.regex.Pattern;

/**
 * The one definition of an artifact id ({@code sha256-<64 hex>}) and of where a store keeps it
 * ({@code sha256/<2 hex>/<64 hex>}, as a file below a folder or a key below a prefix), so that every store accepts
 * the same ids and refuses the same garbage before it touches a path or a key.
 */
final class ArtifactIds {

    static final String PREFIX = "sha256-";
    private static final Pattern ID = Pattern.compile("sha256-[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private ArtifactIds() {
    }

    /** The SHA-256 an id names; throws for anything that is not an id. */
    static String sha256Of(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an artifact id: '" + id + "'");
        }
        return id.substring(PREFIX.length());
    }

    /** Checks a caller-supplied SHA-256 (lowercase hex) and returns it. */
    static String checkSha256(String sha256) {
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: '" + sha256 + "'");
        }
        return sha256;
    }

    static String id(String sha256) {
        return PREFIX + sha256;
    }

    /** {@code sha256/<2 hex>/<64 hex>}: the same layout in a folder and in a bucket. */
    static String relativePath(String sha256) {
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }
}
