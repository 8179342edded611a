package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Root-mean-square norm over the last axis, computed in float32 whatever the model dtype, as HF does.
 * The two conventions differ in where the cast happens: Llama-style scales by {@code weight} after
 * casting back; Gemma scales by {@code 1 + weight} in float32 and casts last.
 */
public final class RmsNorm {

    private final NDArray weight; // (H) model dtype; Gemma: 1 + weight, in float32
    private final float eps;
    private final boolean gemmaStyle;

    private RmsNorm(NDArray weight, double eps, boolean gemmaStyle) {
        this.weight = weight;
        this.eps = (float) eps;
        this.gemmaStyle = gemmaStyle;
    }

    /** Llama, Qwen2, Phi-3: weight · (x / rms(x)). */
    public static RmsNorm scaled(NDArray weight, double eps) {
        return new RmsNorm(weight, eps, false);
    }

    /** Gemma: (1 + weight) · (x / rms(x)); {@code onePlusWeight} must already hold 1 + weight in float32. */
    public static RmsNorm gemma(NDArray onePlusWeight, double eps) {
        return new RmsNorm(onePlusWeight, eps, true);
    }

    /** (B, T, H) to (B, T, H), in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        DataType dtype = Torch.dtypeOf(x);
        // statistics in float32: x · rsqrt(mean(x²) + eps)
        NDArray xf = Torch.cast(x, DataType.FLOAT32);
        NDArray normed = xf.div(xf.square().mean(new int[] {-1}, true).add(eps).sqrt());
        if (gemmaStyle) {
            return Torch.cast(normed.mul(weight), dtype);
        }
        return Torch.cast(normed, dtype).mul(weight);
    }
}
