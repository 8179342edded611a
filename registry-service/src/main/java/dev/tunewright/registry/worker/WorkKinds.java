package dev.tunewright.registry.worker;

/** The registry's kinds of work on the shared work queue; an item's id is {@code <kind>-<subject id>}. */
public final class WorkKinds {

    /** A version's serving-readiness check, queued at registration. */
    public static final String READINESS = "readiness";
    /** A merged full-model export, queued on request. */
    public static final String MERGE = "merge";

    private WorkKinds() {
    }

    /** The subject id (version or export id) of a work item id of {@code kind}. */
    public static String subject(String kind, String itemId) {
        return itemId.substring(kind.length() + 1);
    }
}
