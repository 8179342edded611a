package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One projection y = x·Wᵀ + b, named by its Hugging Face module name (for example
 * {@code model.layers.0.self_attn.q_proj}). The name and the adapter slot are what a fine-tuning
 * method needs to target a layer the way PEFT's {@code target_modules} does, without rebuilding the
 * model. It is not DJL's {@code ai.djl.nn.core.Linear} block: that owns trainable parameters, while this
 * one's base weight is frozen and only the adapter slot trains.
 *
 * <p>The base weight may be swapped for a {@link PackedWeight} (QLoRA): forward then expands it per call
 * and frees the expansion right after the matmul, so only the packed form stays resident.
 */
public final class AdaptableLinear {

    private final String name;
    private volatile NDArray weight; // (out, in), as stored by HF; null once packed
    private final NDArray bias;   // (out) or null
    private final long inFeatures;
    private final long outFeatures;
    private volatile PackedWeight packed;
    private volatile LinearAdapter adapter;

    public AdaptableLinear(String name, NDArray weight, NDArray bias) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.outFeatures = weight.getShape().get(0);
        this.inFeatures = weight.getShape().get(1);
    }

    /** A linear whose base weight exists only in packed form (a quantized model loaded without its float copy). */
    public AdaptableLinear(String name, PackedWeight packed, NDArray bias, long outFeatures, long inFeatures) {
        this.name = Objects.requireNonNull(name, "name");
        this.packed = Objects.requireNonNull(packed, "packed");
        this.weight = null;
        this.bias = bias;
        this.outFeatures = outFeatures;
        this.inFeatures = inFeatures;
    }

    /** The Hugging Face module name, without the {@code .weight} suffix. */
    public String name() {
        return name;
    }

    /**
     * The float base weight.
     *
     * @throws IllegalStateException once the weight is packed: the float copy no longer exists
     */
    public NDArray weight() {
        NDArray w = weight;
        if (w == null) {
            throw new IllegalStateException("module '" + name + "' holds a packed weight; see packedWeight()");
        }
        return w;
    }

    /** The packed base weight, or null while the weight is a float array. */
    public PackedWeight packedWeight() {
        return packed;
    }

    /**
     * Replaces the float base weight by {@code packed} and frees the float array. Not while a forward on
     * this linear runs; the bias (if any) stays as it is.
     */
    public synchronized void pack(PackedWeight packed) {
        Objects.requireNonNull(packed, "packed");
        if (this.packed != null) {
            throw new IllegalStateException("module '" + name + "' is already packed");
        }
        NDArray old = weight;
        this.packed = packed;
        this.weight = null;
        old.close();
    }

    public NDArray bias() {
        return bias;
    }

    public long inFeatures() {
        return inFeatures;
    }

    public long outFeatures() {
        return outFeatures;
    }

    /** Installs (or with null removes) the additive term, e.g. a LoRA adapter. */
    public void setAdapter(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    /** (..., in) to (..., out); results live in {@code x}'s manager so the caller's scope frees them. */
    public NDArray forward(NDArray x) {
        PackedWeight p = packed;
        NDArray y;
        if (p == null) {
            y = linear(x, weight);
        } else {
            // expanded in x's (the call's) manager and freed at once; autograd keeps its own reference
            try (NDArray w = p.unpack(x.getManager(), Torch.dtypeOf(x))) {
                y = linear(x, w);
            }
        }
        LinearAdapter a = adapter;
        return a == null ? y : y.add(a.delta(x));
    }

    private NDArray linear(NDArray x, NDArray w) {
        // torch.nn.functional.linear: the result is allocated in x's manager, never the weight's
        return bias == null
                ? ai.djl.nn.core.Linear.linear(x, w).head()
                : ai.djl.nn.core.Linear.linear(x, w, bias).head();
    }
}
