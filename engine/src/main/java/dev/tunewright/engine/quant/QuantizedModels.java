package dev.tunewright.engine.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.lora.LoraTargets;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Linear;
import dev.tunewright.engine.model.PackedWeight;
import dev.tunewright.engine.model.RandomCheckpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * QLoRA's base model: the decoder-layer linears of a loaded model turned into NF4 in place, each float
 * original freed as soon as its replacement exists, so peak memory grows by one layer's float copy at most.
 * The LM head and embeddings stay in full precision, as in QLoRA; adapters are attached afterwards as usual
 * and train in float32 on top of the frozen 4-bit base.
 */
public final class QuantizedModels {

    private QuantizedModels() {}

    /**
     * Quantizes the decoder-layer linears {@code targetModules} selects, matched as LoRA targets are
     * ({@code all-linear} for all of them); linears already packed are left alone. Not while the model runs.
     *
     * @return the HF module names quantized by this call, in model order
     */
    public static List<String> quantize(LanguageModel model, List<String> targetModules) {
        List<String> done = new ArrayList<>();
        for (Linear linear : LoraTargets.select(model.lm(), targetModules)) {
            if (linear.packedWeight() != null) {
                continue;
            }
            NDArray weight = linear.weight();
            float[] values;
            try (NDArray f = weight.toType(DataType.FLOAT32, true)) {
                values = f.toFloatArray();
            }
            QuantizedWeight q = Nf4.quantize(values, linear.outFeatures(), linear.inFeatures());
            linear.pack(Nf4Weight.of(weight.getManager(), q));
            done.add(linear.name());
        }
        return done;
    }

    /** Base-weight memory of {@code model} now; adapters, optimizer state and activations are not included. */
    public static ResidentBytes residentBytes(LanguageModel model) {
        long total = RandomCheckpoint.tensorShapes(model.config()).values().stream()
                .mapToLong(QuantizedWeight::count).sum();
        long quantizedParams = 0;
        long quantizedBytes = 0;
        for (Linear linear : model.lm().linears()) {
            PackedWeight p = linear.packedWeight();
            if (p != null) {
                quantizedParams += linear.inFeatures() * linear.outFeatures();
                quantizedBytes += p.residentBytes();
            }
        }
        long other = total - quantizedParams;
        return new ResidentBytes(quantizedParams, quantizedBytes, other,
                other * model.lm().dtype().getNumOfBytes());
    }
}
