package dev.tunewright.engine.folder;

import java.io.IOException;

/** A model folder that cannot be used; the message names the file and, where relevant, the key or tensor. */
public class ModelFolderException extends IOException {

    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
