package dev.tunewright.engine.tokenizer;

import java.io.IOException;

/** A tokenizer that cannot be loaded or a config that contradicts it; the message names the file. */
public class TokenizerException extends IOException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
