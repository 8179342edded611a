package dev.tunewright.common.models;

/**
 * A base model as a request named it, checked against the deployment's policy but not yet fetched.
 *
 * @param id       what names the model in lineage, job objects and {@code ft:} ids: the hub id, the installed name,
 *                 or the folder path
 * @param revision the revision asked for ({@code @rev}), null for the default (hub: {@code main})
 */
public record ModelRef(Source source, String id, String revision) {

    /** Where the model comes from. */
    public enum Source { HUB, INSTALLED, LOCAL_PATH }

    /** The spelling a request would use for it. */
    public String spec() {
        return revision == null ? id : id + "@" + revision;
    }

    /** The last path segment of the id, as in {@code ft:Qwen2.5-0.5B-Instruct:…}. */
    public String shortName() {
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
