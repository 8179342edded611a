package dev.tunewright.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A tiny model with an NF4 base: memory, closeness to the float model, gradients only into LoRA. */
class QuantizedModelTest {

    @TempDir
    Path dir;

    @Test
    void allLinearQuantizationFreesTheFloatWeightsAndCostsUnderSixTenthsOfAByte() throws IOException {
        try (LanguageModel model = TinyModels.load(TinyModels.llama(dir))) {
            ResidentBytes before = QuantizedModels.residentBytes(model);
            List<NDArray> originals = new ArrayList<>();
            model.linears().stream().filter(l -> l.name().startsWith("model.layers.")).forEach(l -> originals.add(l.weight()));
            int arrays = model.liveArrayCount();

            List<String> done = QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));

            assertThat(done).hasSize(3 * 7).contains("model.layers.2.mlp.down_proj").doesNotContain("lm_head");
            assertThat(originals).allMatch(NDArray::isReleased);
            assertThat(model.liveArrayCount()).isEqualTo(arrays + done.size()); // one float array became two 8-bit ones
            AdaptableLinear head = model.linears().get(model.linears().size() - 1);
            assertThat(head.packedWeight()).isNull();
            assertThatThrownBy(() -> model.linears().get(0).weight()).isInstanceOf(IllegalStateException.class);

            ResidentBytes after = QuantizedModels.residentBytes(model);
            System.out.println("NF4 tiny llama: " + after);
            assertThat(before.quantizedParameters()).isZero();
            assertThat(after.quantizedBytesPerParameter()).isLessThanOrEqualTo(0.6);
            assertThat(after.quantizedParameters() + after.otherParameters())
                    .isEqualTo(before.quantizedParameters() + before.otherParameters());
            assertThat(after.totalBytes()).isLessThan(before.totalBytes());
            assertThat(QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR))).isEmpty();
        }
    }

    /**
     * Packing while loading must give the model that quantizing after a float load gives (same codes, same
     * log-probabilities bit for bit on the CPU), without ever holding the float linears: the model's manager
     * holds exactly the packed arrays, and a target that selects nothing is refused and frees the model.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "phi3"})
    void packingWhileLoadingEqualsQuantizingAfterLoading(String family) throws IOException {
        Path folder = family.equals("llama") ? TinyModels.llama(dir) : TinyModels.phi3(dir);
        List<int[]> sequences = sequences();
        List<double[]> afterLoad;
        int afterLoadArrays;
        try (LanguageModel model = TinyModels.load(folder)) {
            QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));
            afterLoad = model.logProbs(sequences);
            afterLoadArrays = model.liveArrayCount();
        }
        try (ModelFolder f = ModelFolder.open(folder);
             LanguageModel model = QuantizedModels.load(f, Device.cpu(), DataType.FLOAT32, List.of(LoraConfig.ALL_LINEAR))) {
            List<AdaptableLinear> decoder = model.linears().stream().filter(l -> l.name().startsWith("model.layers.")).toList();
            assertThat(decoder).isNotEmpty().allMatch(l -> l.packedWeight() != null);
            assertThat(model.linears().get(model.linears().size() - 1).packedWeight()).isNull();
            assertThat(model.liveArrayCount()).isEqualTo(afterLoadArrays);
            List<double[]> whileLoading = model.logProbs(sequences);
            for (int s = 0; s < sequences.size(); s++) {
                assertThat(whileLoading.get(s)).containsExactly(afterLoad.get(s));
            }
        }
        try (ModelFolder f = ModelFolder.open(folder)) {
            assertThatThrownBy(() -> QuantizedModels.load(f, Device.cpu(), DataType.FLOAT32, List.of("w_proj")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'w_proj'");
        }
    }

    @Test
    void onlyTheSelectedModulesArePackedWhileLoading() throws IOException {
        try (ModelFolder f = ModelFolder.open(TinyModels.llama(dir));
             LanguageModel model = QuantizedModels.load(f, Device.cpu(), DataType.FLOAT32, List.of("v_proj", "down_proj"))) {
            List<String> packed = model.linears().stream().filter(l -> l.packedWeight() != null).map(AdaptableLinear::name).toList();
            assertThat(packed).hasSize(2 * 3).allMatch(n -> n.endsWith(".v_proj") || n.endsWith(".down_proj"));
        }
    }

    @Test
    void deviceUnpackEqualsTheJavaReference() {
        Random random = new Random(8);
        float[] w = new float[70 * 30]; // not a multiple of 64: padded last block
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        QuantizedWeight q = Nf4.quantize(w, 70, 30);
        try (NDManager m = Torch.engine().newBaseManager()) {
            Nf4Weight device = Nf4Weight.of(m, q);
            assertThat(device.residentBytes()).isEqualTo(q.bytes());
            try (NDManager call = m.newSubManager()) {
                NDArray unpacked = device.unpack(call, DataType.FLOAT32);
                assertThat(unpacked.getShape().getShape()).containsExactly(70, 30);
                assertThat(unpacked.toFloatArray()).containsExactly(Nf4.dequantize(q));
                assertThat(unpacked.hasGradient()).isFalse();
                int live = call.getManagedArrays().size();
                assertThat(live).as("only the result stays in the caller's manager").isEqualTo(1);
            }
            assertThat(m.getManagedArrays()).hasSize(2); // the resident codes and scale codes only
        }
    }

    /**
     * The tiny random models are far peakier than trained ones (qwen2's tied head gives log-probs around
     * -29), so closeness is judged relative to the size of the log-probs: NF4's ~9 % weight error moves them
     * by 3-8 % of their magnitude here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void quantizedLogProbsStayCloseToTheFloatModel(String family) throws IOException {
        Path folder = switch (family) {
            case "llama" -> TinyModels.llama(dir);
            case "qwen2" -> TinyModels.qwen2(dir);
            case "phi3" -> TinyModels.phi3(dir);
            default -> TinyModels.gemma2(dir);
        };
        List<int[]> sequences = sequences();
        List<double[]> reference;
        try (LanguageModel model = TinyModels.load(folder)) {
            reference = model.logProbs(sequences);
        }
        try (LanguageModel model = TinyModels.load(folder)) {
            int arrays = model.liveArrayCount();
            QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));
            int packed = model.liveArrayCount();
            List<double[]> quantized = model.logProbs(sequences);
            assertThat(model.liveArrayCount()).as("nothing of the expansion is kept").isEqualTo(packed);
            assertThat(packed).isGreaterThan(arrays);
            double diff = 0;
            double size = 0;
            for (int s = 0; s < sequences.size(); s++) {
                for (int i = 1; i < reference.get(s).length; i++) {
                    diff += Math.abs(reference.get(s)[i] - quantized.get(s)[i]);
                    size += Math.abs(reference.get(s)[i]);
                }
            }
            System.out.printf("NF4 tiny %s: mean |log-prob difference| is %.3f of mean |log-prob|%n", family, diff / size);
            assertThat(diff / size).isLessThan(0.12);
        }
    }

    @Test
    void loraOnAQuantizedBaseGetsGradientsLikeOnTheFloatBaseAndTheBaseGetsNone() throws IOException {
        Path folder = TinyModels.llama(dir);
        LoraConfig config = new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), false);
        Map<String, float[]> floatGrads = gradients(folder, config, false);
        Map<String, float[]> nf4Grads = gradients(folder, config, true);
        assertThat(nf4Grads.keySet()).containsExactlyElementsOf(floatGrads.keySet());
        double dotAll = 0;
        double nfAll = 0;
        double nqAll = 0;
        for (String key : floatGrads.keySet()) {
            float[] f = floatGrads.get(key);
            float[] q = nf4Grads.get(key);
            double dot = 0;
            double nf = 0;
            double nq = 0;
            for (int i = 0; i < f.length; i++) {
                dot += f[i] * q[i];
                nf += f[i] * f[i];
                nq += q[i] * q[i];
            }
            assertThat(nq).as(key).isGreaterThan(0);
            // roughly the float base's direction for every matrix, closely so over all of them (attention
            // logits amplify the base's error most; layer 0's gradients pass through every later W)
            assertThat(dot / Math.sqrt(nf * nq)).as(key).isGreaterThan(0.4);
            dotAll += dot;
            nfAll += nf;
            nqAll += nq;
        }
        assertThat(dotAll / Math.sqrt(nfAll * nqAll)).isGreaterThan(0.85);
    }

    private static Map<String, float[]> gradients(Path folder, LoraConfig config, boolean quantize) throws IOException {
        try (LanguageModel model = TinyModels.load(folder)) {
            if (quantize) {
                QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));
            }
            try (LoraAdapters lora = LoraAdapters.attach(model, config, 7)) {
                // B = 0 at init gives A no gradient; a fixed non-zero B makes both A and B informative
                for (Map.Entry<String, NDArray> e : lora.byPeftKey().entrySet()) {
                    if (e.getKey().endsWith("lora_B.weight")) {
                        NDArray b = e.getValue();
                        float[] values = new float[Math.toIntExact(b.size())];
                        Random random = new Random(e.getKey().hashCode());
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (float) (0.05 * random.nextGaussian());
                        }
                        b.set(java.nio.FloatBuffer.wrap(values));
                    }
                }
                try (NDManager m = model.newManager();
                     GradientCollector collector = Torch.engine().newGradientCollector()) {
                    NDArray logits = model.network().forward(m, new int[][] {{1, 17, 42, 99, 5, 250, 13, 7}}, null, null, false);
                    collector.backward(logits.logSoftmax(-1).get(":, :, 7").mean());
                }
                Map<String, float[]> out = new java.util.LinkedHashMap<>();
                lora.byPeftKey().forEach((k, p) -> out.put(k, p.getGradient().toFloatArray()));
                for (AdaptableLinear l : model.linears()) {
                    if (l.packedWeight() != null) {
                        for (NDArray a : ((Nf4Weight) l.packedWeight()).arrays()) {
                            assertThat(a.hasGradient()).isFalse();
                        }
                    } else {
                        assertThat(l.weight().hasGradient()).isFalse();
                    }
                }
                assertThat(model.linears().stream().filter(l -> l.packedWeight() != null).count())
                        .isEqualTo(quantize ? 21 : 0);
                return out;
            }
        }
    }

    private static List<int[]> sequences() {
        Random random = new Random(3);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int[] ids = new int[12 + s];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(TinyModels.VOCAB);
            }
            out.add(ids);
        }
        return out;
    }
}
