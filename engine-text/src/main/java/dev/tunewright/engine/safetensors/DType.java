package dev.tunewright.engine.safetensors;

import java.util.Locale;

/**
 * The floating-point element types the engine reads and writes. Everything else (integer and
 * 8-bit types) is rejected by name so that a checkpoint the engine cannot use fails at open time
 * instead of producing garbage weights later.
 */
public enum DType {
    F32(4),
    F16(2),
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element in the safetensors data area. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Parses a safetensors dtype string.
     *
     * @throws IllegalArgumentException naming the dtype when it is not one of F32, F16, BF16
     */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                String.format(Locale.ROOT, "%s is not supported (only F32, F16 and BF16 are)", name));
    }
}
