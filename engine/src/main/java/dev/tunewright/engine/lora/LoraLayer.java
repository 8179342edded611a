package dev.tunewright.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.norm.Dropout;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.LinearAdapter;
import dev.tunewright.engine.model.Torch;
import java.util.function.BooleanSupplier;

/**
 * The LoRA term on one frozen linear: scale · B(A(dropout(x))). A and B are stored float32 whatever the
 * model dtype (as PEFT's autocast_adapter_dtype keeps them), and so are their gradients and optimizer state. Over a
 * float16 base (a GPU) the input is widened to float32 and the delta narrowed back; over a bf16 base A and B are
 * cast down for the product instead, as torch.autocast does for PEFT's linears, which spares widening every input.
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
        // bf16: A and B cast down per forward (their gradients flow back to the float32 weights), as PEFT's linears
        // run under torch.autocast; float16 and float32: the input widened to A and B's float32
        DataType compute = outer == DataType.BFLOAT16 ? outer : a.getDataType();
        // every intermediate is created from x, so it lives in x's manager and on the autograd tape
        NDArray in = Torch.cast(x, compute);
        if (dropout > 0 && training.getAsBoolean()) {
            in = Dropout.dropout(in, dropout, true).head();
        }
        NDArray down = ai.djl.nn.core.Linear.linear(in, Torch.cast(a, compute, x.getManager())).head();
        NDArray up = ai.djl.nn.core.Linear.linear(down, Torch.cast(b, compute, x.getManager())).head().mul(scaling);
        return Torch.cast(up, outer);
    }
}
