package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One projection y = x·Wᵀ + b, named by its Hugging Face module name (for example
 * {@code model.layers.0.self_attn.q_proj}). The name and the adapter slot are what a fine-tuning
 * method needs to target a layer the way PEFT's {@code target_modules} does, without rebuilding the
 * model.
 */
public final class Linear {

    private final String name;
    private final NDArray weight; // (out, in), as stored by HF
    private final NDArray bias;   // (out) or null
    private volatile LinearAdapter adapter;

    public Linear(String name, NDArray weight, NDArray bias) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
    }

    /** The Hugging Face module name, without the {@code .weight} suffix. */
    public String name() {
        return name;
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    public long inFeatures() {
        return weight.getShape().get(1);
    }

    public long outFeatures() {
        return weight.getShape().get(0);
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
        // torch.nn.functional.linear: the result is allocated in x's manager, never the weight's
        NDArray y = bias == null
                ? ai.djl.nn.core.Linear.linear(x, weight).head()
                : ai.djl.nn.core.Linear.linear(x, weight, bias).head();
        LinearAdapter a = adapter;
        return a == null ? y : y.add(a.delta(x));
    }
}
