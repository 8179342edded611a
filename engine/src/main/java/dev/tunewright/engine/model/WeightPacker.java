package dev.tunewright.engine.model;

import ai.djl.ndarray.NDManager;

/**
 * Decides, while a model loads, which linear weights go straight into a compact form (QLoRA's NF4), so the
 * float copy of a quantized model never exists as a whole: each weight is read, packed and dropped before the
 * next one is read, and peak memory during the load is the packed model plus one float matrix.
 */
public interface WeightPacker {

    /** Whether linear {@code module} (an HF module name) is to be packed; the others load as float arrays. */
    boolean packs(String module);

    /**
     * The packed form of linear {@code module}'s weight, called only where {@link #packs} said yes.
     *
     * @param module the HF module name, e.g. {@code model.layers.0.self_attn.q_proj}
     * @param weight the (out, in) weight in row-major order, float32
     * @param manager the model's manager, which must own whatever native memory the packed form holds
     */
    PackedWeight pack(String module, float[] weight, long out, long in, NDManager manager);
}
