package dev.tunewright.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.folder.ModelFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded model and the native memory that holds its weights. Close it to free the weights; every
 * method scopes its own temporaries, so memory between calls is the weights alone. Scoring, adapters and
 * quantization work on this class; only code that drives a forward pass stage by stage (training,
 * generation) reaches the {@link #network() network} itself.
 */
public final class LanguageModel implements AutoCloseable {

    private final NDManager manager;
    private final DecoderNetwork network;
    private final List<NDArray> loadedArrays; // every float array the weights were loaded into

    private LanguageModel(NDManager manager, DecoderNetwork network, List<NDArray> loadedArrays) {
        this.manager = manager;
        this.network = network;
        this.loadedArrays = List.copyOf(loadedArrays);
    }

    /**
     * Loads a Hugging Face model folder (single or sharded safetensors) in the device's default dtype
     * ({@link Torch#dtypeFor}). The weights are copied into native memory, so the folder may be closed
     * afterwards.
     */
    public static LanguageModel load(ModelFolder folder, Device device) {
        return load(folder, device, Torch.dtypeFor(device, ModelConfig.fromJson(folder.config()).family()));
    }

    /** As {@link #load(ModelFolder, Device)} with an explicit compute dtype, float32 or float16. */
    public static LanguageModel load(ModelFolder folder, Device device, DataType dtype) {
        return load(folder, device, dtype, null);
    }

    /**
     * As {@link #load(ModelFolder, Device, DataType)}, with the linears {@code packer} selects packed as they
     * are read (QLoRA), so their float copies never coexist; null packs nothing.
     */
    public static LanguageModel load(ModelFolder folder, Device device, DataType dtype, WeightPacker packer) {
        return load(ModelConfig.fromJson(folder.config()), Weights.Source.of(folder.weights()), device, dtype, packer);
    }

    /** Builds the family's model from {@code source} with weights and activations in {@code dtype}. */
    public static LanguageModel load(ModelConfig config, Weights.Source source, Device device, DataType dtype) {
        return load(config, source, device, dtype, null);
    }

    /** As above, with the linears {@code packer} selects packed as they are read; null packs nothing. */
    public static LanguageModel load(ModelConfig config, Weights.Source source, Device device, DataType dtype,
                                     WeightPacker packer) {
        Torch.checkComputeDtype(dtype);
        NDManager manager = Torch.engine().newBaseManager(device);
        try {
            Weights weights = new Weights(Models.layout(config), source, manager, dtype, packer);
            return new LanguageModel(manager, Models.build(config, weights), weights.created());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Embeddings, decoder layers, final norm and LM head: the forward pass, stage by stage. */
    public DecoderNetwork network() {
        return network;
    }

    public ModelConfig config() {
        return network.config();
    }

    /** The compute dtype of the weights and activations. */
    public DataType dtype() {
        return network.dtype();
    }

    /** Every linear by its HF module name, in model order: what LoRA's target_modules select from. */
    public List<AdaptableLinear> linears() {
        return network.linears();
    }

    public Device device() {
        return manager.getDevice();
    }

    /** A fresh manager on the model's device for callers that drive {@link DecoderNetwork#forward} themselves. */
    public NDManager newManager() {
        return manager.newSubManager();
    }

    /**
     * The base weights held as plain arrays now, each once: embeddings, norms, biases and the linear weights not
     * packed (a linear packed in place closes its float array, which then no longer counts). With the linears'
     * {@link AdaptableLinear#packedWeight packed weights} this is all the memory the base model keeps.
     */
    public List<NDArray> floatWeights() {
        return loadedArrays.stream().filter(a -> !a.isReleased()).toList();
    }

    /**
     * Arrays held by the model's manager and its live sub-managers: the weights plus whatever a caller
     * has not closed yet. Watching it stay constant is how tests and benchmarks prove nothing leaks.
     */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    /**
     * ln p(token i | tokens before i) for every token of every sequence; entry 0 has no context and is NaN.
     * Sequences of different lengths are right-padded into one batch and masked.
     */
    public List<double[]> logProbs(List<int[]> sequences) {
        int batch = sequences.size();
        int steps = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        if (steps == 0) {
            throw new IllegalArgumentException("nothing to score: every sequence is empty");
        }
        int[][] ids = new int[batch][steps];
        long[][] mask = new long[batch][steps];
        boolean padded = false;
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            System.arraycopy(s, 0, ids[b], 0, s.length);
            Arrays.fill(mask[b], 0, s.length, 1L);
            padded |= s.length < steps;
        }
        long[][] visible = padded ? mask : null;
        float[] picked = steps == 1 ? new float[0] : Torch.withoutGradients(() -> pickNextTokenLogProbs(ids, visible));
        List<double[]> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            double[] lp = new double[sequences.get(b).length];
            lp[0] = Double.NaN;
            for (int i = 1; i < lp.length; i++) {
                lp[i] = picked[b * (steps - 1) + i - 1];
            }
            out.add(lp);
        }
        return out;
    }

    private float[] pickNextTokenLogProbs(int[][] ids, long[][] mask) {
        int batch = ids.length;
        int steps = ids[0].length;
        int[] next = new int[batch * (steps - 1)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 1, next, b * (steps - 1), steps - 1);
        }
        try (NDManager call = manager.newSubManager()) {
            // (B, T, V) logits; position i - 1 predicts token i
            NDArray logits = network.forward(call, ids, mask, null, false);
            NDArray logProbs = logits.get(":, :-1, :").logSoftmax(-1);
            // (B, T - 1, 1) the log-probability of the token that actually follows
            NDArray index = TokenIds.index(call, next, new Shape(batch, steps - 1, 1));
            return logProbs.gather(index, -1).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
