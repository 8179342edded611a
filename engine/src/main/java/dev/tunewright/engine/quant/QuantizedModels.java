package dev.tunewright.engine.quant;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraTargets;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.PackedWeight;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.model.WeightPacker;
import java.util.ArrayList;
import java.util.List;

/**
 * QLoRA's base model: the decoder-layer linears in NF4, either packed as the model is read ({@link #load}, so
 * the float model never exists as a whole and the load peaks at the packed model plus one float matrix) or
 * turned into NF4 in place in a model already loaded ({@link #quantize}). The LM head and embeddings stay in
 * full precision, as in QLoRA; adapters are attached afterwards as usual and train in float32 on top of the
 * frozen 4-bit base.
 */
public final class QuantizedModels {

    private QuantizedModels() {}

    /**
     * Loads {@code folder} with the decoder-layer linears {@code targetModules} selects ({@code all-linear} for
     * all of them) packed to NF4 as each is read.
     *
     * @throws IllegalArgumentException naming a target that selects no linear of the model
     */
    public static LanguageModel load(ModelFolder folder, Device device, DataType dtype, List<String> targetModules) {
        WeightPacker packer = new WeightPacker() {
            @Override
            public boolean packs(String module) {
                return LoraTargets.selects(module, targetModules);
            }

            @Override
            public PackedWeight pack(String module, float[] weight, long out, long in, NDManager manager) {
                return Nf4Weight.of(manager, Nf4.quantize(weight, out, in));
            }
        };
        LanguageModel model = LanguageModel.load(folder, device, dtype, packer);
        try {
            LoraTargets.select(model, targetModules); // the error for a target that matched nothing
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Quantizes the decoder-layer linears {@code targetModules} selects, matched as LoRA targets are
     * ({@code all-linear} for all of them); linears already packed are left alone. Not while the model runs.
     *
     * @return the HF module names quantized by this call, in model order
     */
    public static List<String> quantize(LanguageModel model, List<String> targetModules) {
        List<String> done = new ArrayList<>();
        for (AdaptableLinear linear : LoraTargets.select(model, targetModules)) {
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

    /**
     * Base-weight memory of {@code model} now, measured on the loaded weights: the packed linears by what they hold,
     * every other weight array (embeddings, norms, biases, float linears) by its size and dtype. Adapters, optimizer
     * state and activations are not included.
     */
    public static ResidentBytes residentBytes(LanguageModel model) {
        long quantizedParams = 0;
        long quantizedBytes = 0;
        for (AdaptableLinear linear : model.linears()) {
            PackedWeight p = linear.packedWeight();
            if (p != null) {
                quantizedParams += linear.inFeatures() * linear.outFeatures();
                quantizedBytes += p.residentBytes();
            }
        }
        long otherParams = 0;
        long otherBytes = 0;
        for (NDArray array : model.floatWeights()) {
            otherParams += array.size();
            otherBytes += array.size() * Torch.dtypeOf(array).getNumOfBytes();
        }
        return new ResidentBytes(quantizedParams, quantizedBytes, otherParams, otherBytes);
    }
}
