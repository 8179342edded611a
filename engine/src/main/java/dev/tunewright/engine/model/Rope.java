package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in HF's rotate_half layout (the two halves of each head are the pair
 * coordinates, not interleaved pairs). Frequencies follow HF's rope init functions for the default,
 * {@code llama3} and {@code longrope} types; angles are formed in float32 as HF does so positions far
 * into the context round the same way.
 */
public final class Rope {

    private final int headDim;
    private final float[] inverseFrequencies;     // (headDim / 2), short / default
    private final float[] longInverseFrequencies; // LongRoPE beyond the pretrained context, else null
    private final int longAbovePositions;         // LongRoPE: switch when max(position) + 1 exceeds this
    private final float attentionScaling;         // LongRoPE magnifies cos and sin; 1 otherwise

    private Rope(int headDim, float[] inv, float[] longInv, int longAbove, float attentionScaling) {
        this.headDim = headDim;
        this.inverseFrequencies = inv;
        this.longInverseFrequencies = longInv;
        this.longAbovePositions = longAbove;
        this.attentionScaling = attentionScaling;
    }

    public static Rope of(ModelConfig config) {
        int dim = config.headDim();
        double base = config.ropeTheta();
        float[] plain = new float[dim / 2];
        for (int i = 0; i < plain.length; i++) {
            // HF: 1 / base^(arange(0, dim, 2) / dim), in float32
            plain[i] = (float) (1.0 / (float) Math.pow(base, (float) (2 * i) / dim));
        }
        RopeScaling scaling = config.ropeScaling();
        if (scaling instanceof RopeScaling.Llama3 l) {
            return new Rope(dim, llama3(plain, l), null, Integer.MAX_VALUE, 1f);
        }
        if (scaling instanceof RopeScaling.LongRope l) {
            return new Rope(dim, divide(base, dim, l.shortFactor().stream().mapToDouble(Double::doubleValue).toArray()),
                    divide(base, dim, l.longFactor().stream().mapToDouble(Double::doubleValue).toArray()),
                    l.originalMaxPositionEmbeddings(), (float) l.attentionFactor());
        }
        return new Rope(dim, plain, null, Integer.MAX_VALUE, 1f);
    }

    /** Llama 3.1: keep short wavelengths, divide long ones by {@code factor}, interpolate in between. */
    private static float[] llama3(float[] inv, RopeScaling.Llama3 s) {
        double lowFreqWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen < highFreqWavelen) {
                out[i] = inv[i];
            } else if (wavelen > lowFreqWavelen) {
                out[i] = (float) (inv[i] / s.factor());
            } else {
                double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                out[i] = (float) ((1 - smooth) * inv[i] / s.factor() + smooth * inv[i]);
            }
        }
        return out;
    }

    /** LongRoPE: 1 / (factor_i · base^(2i / dim)). */
    private static float[] divide(double base, int dim, double[] factors) {
        float[] out = new float[dim / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1.0 / ((float) factors[i] * (float) Math.pow(base, (float) (2 * i) / dim)));
        }
        return out;
    }

    /**
     * cos and sin for every (sequence, position), shaped (B, 1, T, headDim) to broadcast over heads.
     * LongRoPE picks its long factors for the whole call when any position passes the pretrained context,
     * exactly like HF's dynamic update.
     */
    public NDList tables(NDManager manager, long[][] positions, DataType dtype) {
        int batch = positions.length;
        int steps = positions[0].length;
        long maxPosition = 0;
        for (long[] row : positions) {
            for (long p : row) {
                maxPosition = Math.max(maxPosition, p);
            }
        }
        float[] inv = longInverseFrequencies != null && maxPosition + 1 > longAbovePositions
                ? longInverseFrequencies : inverseFrequencies;
        int half = headDim / 2;
        float[] cos = new float[batch * steps * headDim];
        float[] sin = new float[cos.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int row = (b * steps + t) * headDim;
                for (int i = 0; i < half; i++) {
                    float angle = (float) positions[b][t] * inv[i];
                    float c = (float) Math.cos(angle) * attentionScaling;
                    float s = (float) Math.sin(angle) * attentionScaling;
                    // emb = cat(freqs, freqs): both halves share the frequency
                    cos[row + i] = c;
                    cos[row + half + i] = c;
                    sin[row + i] = s;
                    sin[row + half + i] = s;
                }
            }
        }
        Shape shape = new Shape(batch, 1, steps, headDim);
        // torch-owned copies: autograd keeps them for the backward pass (see Torch.scalar)
        return new NDList(Torch.cast(Torch.owned(manager.create(cos, shape)), dtype),
                Torch.cast(Torch.owned(manager.create(sin, shape)), dtype));
    }

    /** x·cos + rotate_half(x)·sin for x (B, heads, T, headDim); the result lives in x's manager. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get("..., :" + half);
        NDArray second = x.get("..., " + half + ":");
        // rotate_half(x) = cat(-x2, x1)
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
