package dev.tunewright.engine.lora;

import java.io.IOException;

/** An adapter folder that is not a LoRA adapter this model can use; the message names the file and key. */
public class AdapterFormatException extends IOException {

    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
