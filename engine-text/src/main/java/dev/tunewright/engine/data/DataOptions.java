package dev.tunewright.engine.data;

import java.util.Map;

/**
 * How training rows become tokens. {@code templateKwargs} reach the chat template as extra variables
 * (Llama 3 reads {@code date_string}; without it the rendered prompt would change with the day the job runs).
 *
 * @param maxSeqLength   longest example kept, in tokens; also the length of a packed sequence
 * @param trainOnInputs  train on every token instead of only the assistant replies
 * @param templateKwargs extra chat template variables, plain JSON-like values
 */
public record DataOptions(int maxSeqLength, boolean trainOnInputs, Map<String, Object> templateKwargs) {

    public DataOptions {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("max_seq_length must be at least 2, got " + maxSeqLength);
        }
        templateKwargs = templateKwargs == null ? Map.of() : Map.copyOf(templateKwargs);
    }

    /** Replies only, no extra template variables. */
    public static DataOptions of(int maxSeqLength) {
        return new DataOptions(maxSeqLength, false, Map.of());
    }

    public DataOptions withTrainOnInputs(boolean on) {
        return new DataOptions(maxSeqLength, on, templateKwargs);
    }

    public DataOptions withTemplateKwargs(Map<String, Object> kwargs) {
        return new DataOptions(maxSeqLength, trainOnInputs, kwargs);
    }
}
