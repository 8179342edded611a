package dev.tunewright.engine.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be trusted or read. The message always names the file, and the
 * tensor when one is involved, because a model folder can hold dozens of shards and the user must
 * be able to tell which one is broken.
 */
public class SafetensorsException extends IOException {

    public SafetensorsException(Path file, String tensor, String detail) {
        super(format(file, tensor, detail));
    }

    public SafetensorsException(Path file, String tensor, String detail, Throwable cause) {
        super(format(file, tensor, detail), cause);
    }

    private static String format(Path file, String tensor, String detail) {
        StringBuilder sb = new StringBuilder(String.valueOf(file)).append(": ");
        if (tensor != null) {
            sb.append("tensor '").append(tensor).append("': ");
        }
        return sb.append(detail).toString();
    }
}
