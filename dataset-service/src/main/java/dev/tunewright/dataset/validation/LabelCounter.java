package dev.tunewright.dataset.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts distinct responses up to a bound. Classification-like data has few of them and is worth
 * stratifying; free-form data has as many as rows, and tracking them all would cost memory for nothing.
 */
final class LabelCounter {

    /** Distinct responses tracked before a file counts as free-form. */
    static final int MAX_TRACKED = 1_000;
    private static final int PREVIEW_CHARS = 200;

    private final int maxTracked;
    private final Map<Long, Integer> ids = new HashMap<>();
    private final List<String> previews = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();
    private boolean overflowed;

    LabelCounter(int maxTracked) {
        this.maxTracked = maxTracked;
    }

    /**
     * The label id of this response, or -1 once more than {@code maxTracked} distinct responses were seen.
     * Responses are told apart by a 64-bit hash so that long responses are not kept in memory.
     */
    int add(long outputHash, String output) {
        return addPreviewed(outputHash, needsPreview(outputHash) ? preview(output) : null);
    }

    /** Whether adding this response would start a new label, the only case that needs its preview. */
    boolean needsPreview(long outputHash) {
        return !overflowed && ids.size() < maxTracked && !ids.containsKey(outputHash);
    }

    /** What reports show of a response: its first {@value #PREVIEW_CHARS} characters. */
    static String preview(String output) {
        return output.length() > PREVIEW_CHARS ? output.substring(0, PREVIEW_CHARS) + "…" : output;
    }

    /** {@link #add} with the preview already cut by {@link #preview}; it is only read for a response not seen yet. */
    int addPreviewed(long outputHash, String preview) {
        if (overflowed) {
            return -1;
        }
        Integer id = ids.get(outputHash);
        if (id == null) {
            if (ids.size() == maxTracked) {
                overflowed = true;
                ids.clear();
                previews.clear();
                counts.clear();
                return -1;
            }
            id = ids.size();
            ids.put(outputHash, id);
            previews.add(preview);
            counts.add(new long[1]);
        }
        counts.get(id)[0]++;
        return id;
    }

    boolean overflowed() {
        return overflowed;
    }

    int distinct() {
        return ids.size();
    }

    List<LabelCount> labels() {
        List<LabelCount> labels = new ArrayList<>(previews.size());
        for (int i = 0; i < previews.size(); i++) {
            labels.add(new LabelCount(previews.get(i), counts.get(i)[0]));
        }
        return labels;
    }
}
