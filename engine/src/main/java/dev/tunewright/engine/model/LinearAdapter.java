package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * An additive term on a frozen {@link AdaptableLinear}: y = x·Wᵀ + b + delta(x). LoRA is one such term
 * (scale · B(A(x))); keeping it outside the base weight lets the adapter train through autograd,
 * be swapped or removed, and be saved on its own.
 */
@FunctionalInterface
public interface LinearAdapter {
    /** (..., in) to (..., out); the result may live in {@code input}'s manager, which the caller scopes. */
    NDArray delta(NDArray input);
}
