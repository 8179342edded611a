package dev.tunewright.engine.model;

import dev.tunewright.engine.model.gemma2.Gemma2Model;
import dev.tunewright.engine.model.llama.LlamaModel;
import dev.tunewright.engine.model.phi3.Phi3Model;
import dev.tunewright.engine.model.qwen2.Qwen2Model;

/** Dispatches to the family named by the config's architecture: its weight layout and its builder. */
public final class Models {

    private Models() {}

    /** Every tensor a checkpoint of {@code config}'s family and shape holds, from the config alone. */
    public static WeightLayout layout(ModelConfig config) {
        return switch (config.family()) {
            case LLAMA -> LlamaModel.layout(config);
            case QWEN2 -> Qwen2Model.layout(config);
            case PHI3 -> Phi3Model.layout(config);
            case GEMMA2 -> Gemma2Model.layout(config);
        };
    }

    /** The family's model from {@code weights}, which must be loading {@link #layout}{@code (config)}, all of it. */
    public static DecoderNetwork build(ModelConfig config, Weights weights) {
        DecoderNetwork network = switch (config.family()) {
            case LLAMA -> LlamaModel.build(config, weights);
            case QWEN2 -> Qwen2Model.build(config, weights);
            case PHI3 -> Phi3Model.build(config, weights);
            case GEMMA2 -> Gemma2Model.build(config, weights);
        };
        weights.requireAllRead(config.family().architecture());
        return network;
    }
}
