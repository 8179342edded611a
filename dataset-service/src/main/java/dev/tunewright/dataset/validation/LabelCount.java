package dev.tunewright.dataset.validation;

/** A distinct response and how many kept rows have it; the text is cut to a preview for reports. */
public record LabelCount(String preview, long count) {
}
