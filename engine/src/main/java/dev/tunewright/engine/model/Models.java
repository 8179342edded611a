package dev.tunewright.engine.model;

import dev.tunewright.engine.model.gemma2.Gemma2Model;
import dev.tunewright.engine.model.llama.LlamaModel;
import dev.tunewright.engine.model.phi3.Phi3Model;
import dev.tunewright.engine.model.qwen2.Qwen2Model;

/** Dispatches to the family builder named by the config's architecture. */
public final class Models {

    private Models() {}

    public static CausalLm build(ModelConfig config, Weights weights) {
        return switch (config.family()) {
            case LLAMA -> LlamaModel.build(config, weights);
            case QWEN2 -> Qwen2Model.build(config, weights);
            case PHI3 -> Phi3Model.build(config, weights);
            case GEMMA2 -> Gemma2Model.build(config, weights);
        };
    }
}
