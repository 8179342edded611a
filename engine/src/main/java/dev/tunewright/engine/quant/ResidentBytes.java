package dev.tunewright.engine.quant;

import java.util.Locale;

/**
 * Memory a model's base weights keep resident, split as QLoRA splits them: the NF4 linears (measured
 * from the arrays they hold) and everything still in a float dtype (embeddings, norms, LM head, biases,
 * unquantized linears), measured from their arrays' sizes and dtypes.
 */
public record ResidentBytes(long quantizedParameters, long quantizedBytes, long otherParameters, long otherBytes) {

    /** About 0.516 for NF4 with double-quantized scales; 0 when nothing is quantized. */
    public double quantizedBytesPerParameter() {
        return quantizedParameters == 0 ? 0 : (double) quantizedBytes / quantizedParameters;
    }

    public double otherBytesPerParameter() {
        return otherParameters == 0 ? 0 : (double) otherBytes / otherParameters;
    }

    /** Over all base parameters. */
    public double bytesPerParameter() {
        long params = quantizedParameters + otherParameters;
        return params == 0 ? 0 : (double) (quantizedBytes + otherBytes) / params;
    }

    public long totalBytes() {
        return quantizedBytes + otherBytes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f bytes/param over %d quantized params (%d bytes), %.2f over %d others"
                        + " (%d bytes), %.4f overall", quantizedBytesPerParameter(), quantizedParameters, quantizedBytes,
                otherBytesPerParameter(), otherParameters, otherBytes, bytesPerParameter());
    }
}
