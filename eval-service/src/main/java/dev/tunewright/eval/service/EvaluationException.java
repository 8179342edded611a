package dev.tunewright.eval.service;

/** An evaluation cannot succeed as asked (a missing split, a malformed row); it fails at once instead of retrying. */
public class EvaluationException extends RuntimeException {

    public EvaluationException(String message) {
        super(message);
    }

    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
