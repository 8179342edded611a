package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.folder.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Casts DJL's JNI cannot do: to and from bf16 (which it cannot name), differentiably (its own cast cuts the graph);
 * whole models in bf16.
 */
class DtypeCastTest {

    @TempDir
    Path dir;

    @Test
    void castRoundsToNearestEvenAndBackExactlyInTheRightManager() {
        float[] values = {1f, -2.5f, 1.00390625f, 1.01171875f, 3.1415927f, 1e-3f, 65504f, -1e30f, 0f};
        try (NDManager manager = Torch.engine().newBaseManager(Device.cpu())) {
            NDArray x = manager.create(values);
            NDArray bf;
            NDArray kept;
            try (NDManager call = manager.newSubManager()) {
                bf = Torch.cast(x, DataType.BFLOAT16);
                assertThat(bf.getManager()).as("a cast lives in its operand's manager").isSameAs(manager);
                kept = Torch.cast(x, DataType.BFLOAT16, call);
                assertThat(kept.getManager()).as("or in the scope it is given").isSameAs(call);
                assertThat(Torch.cast(x, DataType.FLOAT32, call)).as("no copy when nothing changes").isSameAs(x);
            }
            assertThat(kept.isReleased()).as("freed with its scope").isTrue();
            assertThat(x.isReleased()).isFalse();
            assertThat(Torch.dtypeOf(bf)).isEqualTo(DataType.BFLOAT16);
            assertThat(Torch.cast(bf, DataType.BFLOAT16)).isSameAs(bf);
            float[] back = Torch.cast(bf, DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertThat(back[i]).as("value %s", values[i]).isEqualTo(roundToBFloat16(values[i]));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BFLOAT16", "FLOAT16"})
    void gradientsFlowThroughTheCastIntoFloat32Parameters(String half) {
        DataType dtype = DataType.valueOf(half);
        try (NDManager manager = Torch.engine().newBaseManager(Device.cpu())) {
            NDArray w = manager.create(new float[] {0.5f, -1.5f, 2f});
            w.setRequiresGradient(true);
            NDArray base = Torch.cast(manager.create(new float[] {1f, 2f, 3f}), dtype);
            try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                // y = sum(cast(base · cast(w)) ²), d y / d w = 2 · base² · w, exact in either half precision
                NDArray product = base.mul(Torch.cast(w, dtype));
                NDArray loss = Torch.cast(product, DataType.FLOAT32).square().sum();
                collector.backward(loss);
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(1f, -12f, 36f);
        }
    }

    /**
     * The bf16 model against the float32 one on the same weights, for every family: what rounding the base weights
     * and activations to bf16 costs in log-probs. Printed with its bound; training in bf16 is judged by the learning
     * tests, which must reach the same held-out accuracy.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void bfloat16LogProbsStayCloseToFloat32(String family) throws IOException {
        Path folder = TinyModels.write(family, dir);
        Random random = new Random(7);
        var sequences = List.of(TinyModels.randomTokens(random, 24), TinyModels.randomTokens(random, 17));
        List<double[]> reference;
        try (LanguageModel model = TinyModels.load(folder)) {
            reference = model.logProbs(sequences);
        }
        try (ModelFolder f = ModelFolder.open(folder);
             LanguageModel model = LanguageModel.load(f, Device.cpu(), DataType.BFLOAT16)) {
            assertThat(model.dtype()).isEqualTo(DataType.BFLOAT16);
            int arrays = model.liveArrayCount();
            List<double[]> bf16 = model.logProbs(sequences);
            assertThat(model.liveArrayCount()).as("nothing leaks").isEqualTo(arrays);
            double diff = 0;
            double size = 0;
            double worst = 0;
            for (int s = 0; s < sequences.size(); s++) {
                for (int i = 1; i < reference.get(s).length; i++) {
                    double d = Math.abs(reference.get(s)[i] - bf16.get(s)[i]);
                    diff += d;
                    worst = Math.max(worst, d);
                    size += Math.abs(reference.get(s)[i]);
                }
            }
            System.out.printf("bf16 tiny %s: mean |log-prob difference| is %.4f of mean |log-prob| (bound 0.02), "
                    + "largest %.4f nats%n", family, diff / size, worst);
            assertThat(diff / size).isLessThan(0.02);
        }
    }

    private static float roundToBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }
}
