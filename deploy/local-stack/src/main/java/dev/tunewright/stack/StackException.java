package dev.tunewright.stack;

/**
 * A failure the user can act on. The message is a single line naming the cause, so the command line
 * can print it as is, without a stack trace.
 */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
