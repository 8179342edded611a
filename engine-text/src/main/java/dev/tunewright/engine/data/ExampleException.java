package dev.tunewright.engine.data;

/**
 * One example cannot be trained on as written. The message says why but not where: the reader adds the
 * file and line, since the encoder only sees messages.
 */
public class ExampleException extends RuntimeException {

    public ExampleException(String message) {
        super(message);
    }

    public ExampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
