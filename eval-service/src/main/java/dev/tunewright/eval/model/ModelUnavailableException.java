package dev.tunewright.eval.model;

/** A model or adapter cannot be used as asked (missing files, an adapter that does not fit its base): retrying will not help. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
