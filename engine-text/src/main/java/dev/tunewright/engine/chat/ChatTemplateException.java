package dev.tunewright.engine.chat;

/**
 * A chat template that cannot be loaded or rendered. Rendering never falls back to a different
 * string: anything unsupported or raised by the template itself ends here, with the template's
 * own message when it called {@code raise_exception}.
 */
public class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
