package dev.tunewright.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.norm.Dropout;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.LinearAdapter;
import dev.tunewright.engine.model.Torch;
import java.util.function.BooleanSupplier;

/**
 * The LoRA term on one frozen linear: scale · B(A(dropout(x))). A and B stay float32 whatever the
 * model dtype (as PEFT's autocast_adapter_dtype keeps them), so a float16 model on a GPU still trains
 * its adapter in full precision; the input is widened and the delta narrowed back around them.
 *
 * @param peftPrefix {@code base_model.model.<module>}, the key stem PEFT saves A and B under
 * @param a lora_A (r, in)
 * @param b lora_B (out, r)
 * @param scaling {@code scale} as a 0-d float32 array in torch-owned memory next to A and B, made once: autograd
 *                keeps it for backward, and a fresh scalar per forward cost three native calls per linear per token
 */
record LoraLayer(AdaptableLinear linear, String peftPrefix, NDArray a, NDArray b, float scale, NDArray scaling, float dropout,
                 BooleanSupplier training) implements LinearAdapter {

    static final String PEFT_MODEL_PREFIX = "base_model.model.";

    static String peftPrefix(AdaptableLinear linear) {
        return PEFT_MODEL_PREFIX + linear.name();
    }

    String keyA() {
        return peftPrefix + ".lora_A.weight";
    }

    String keyB() {
        return peftPrefix + ".lora_B.weight";
    }

    @Override
    public NDArray delta(NDArray x) {
        DataType outer = Torch.dtypeOf(x);
        // every intermediate is created from x, so it lives in x's manager and on the autograd tape
        NDArray in = Torch.cast(x, a.getDataType());
        if (dropout > 0 && training.getAsBoolean()) {
            in = Dropout.dropout(in, dropout, true).head();
        }
        NDArray down = ai.djl.nn.core.Linear.linear(in, a).head();
        NDArray up = ai.djl.nn.core.Linear.linear(down, b).head().mul(scaling);
        return Torch.cast(up, outer);
    }
}
