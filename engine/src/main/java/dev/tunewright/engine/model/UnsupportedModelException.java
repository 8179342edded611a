package dev.tunewright.engine.model;

/**
 * A model folder asks for something this engine does not compute exactly like Hugging Face
 * transformers (an unknown architecture, rope scaling type, activation...). The message names the
 * {@code config.json} key so the user knows what to change or report.
 */
public class UnsupportedModelException extends IllegalArgumentException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
