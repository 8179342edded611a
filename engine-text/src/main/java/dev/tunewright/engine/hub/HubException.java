package dev.tunewright.engine.hub;

import java.io.IOException;

/** A model that cannot be fetched from the hub or its cache; the message names the repository and file. */
public class HubException extends IOException {

    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
