package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraTestSupport;
import dev.tunewright.engine.quant.QuantizedModels;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The autograd-operand rule, checked on every op of every layer: an operand autograd keeps for the backward pass
 * must be torch-owned ({@link Torch#scalar}, {@link Torch#owned}), because an array DJL created from Java memory
 * frees that memory once it is closed and the GC has run, and a backward that reads it then gets garbage. Each
 * decoder layer and the head of every family (with LoRA on every linear, in float and in NF4) runs forward, its
 * step scope closes, then a full GC frees every Java buffer that is unreachable, fresh buffers full of NaN take their
 * memory, and only then the backward runs; its gradients must be those of an undisturbed backward, bit for bit.
 * A new op that takes a Java-backed operand into the graph fails here instead of in a long training run.
 */
class AutogradOperandsTest {

    private static final int BATCH = 2;
    private static final int STEPS = 7;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, nf4 {1}")
    @CsvSource({"llama, false", "qwen2, false", "phi3, false", "gemma2, false", "llama, true", "gemma2, true"})
    void everyLayersBackwardSurvivesAFullGcBetweenForwardAndBackward(String family, boolean nf4) throws IOException {
        TinyModels.write(family, dir);
        List<float[]> undisturbed = gradients(nf4, false);
        List<float[]> afterGc = gradients(nf4, true);
        assertThat(afterGc).hasSameSizeAs(undisturbed);
        for (int i = 0; i < undisturbed.size(); i++) {
            assertThat(afterGc.get(i)).as("gradient %d of %s", i, family).containsExactly(undisturbed.get(i));
        }
    }

    /** d(Σ out · weights)/d(input) of each decoder layer and the head, then the LoRA gradients they accumulated. */
    private List<float[]> gradients(boolean nf4, boolean disturb) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (LanguageModel model = TinyModels.load(dir)) {
            if (nf4) {
                QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));
            }
            try (LoraAdapters lora = LoraAdapters.attach(model, new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), false), 3);
                 NDManager scope = model.newManager()) {
                LoraTestSupport.randomizeB(lora, 4);
                DecoderNetwork network = model.network();
                AttentionContext context = network.packedContext(scope, ids(), positions(), segments());
                Random random = new Random(5);
                for (int i = 0; i <= network.layerCount(); i++) {
                    int layer = i;
                    NDArray x = input(scope, random);
                    try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                        NDArray y = layer < network.layerCount() ? network.layers().get(layer).forward(x, context, null) : network.head(x);
                        NDArray weights = input(scope, random, y.getShape());
                        NDArray loss = y.mul(weights).sum();
                        List<ByteBuffer> garbage = disturb ? collectAndOverwriteFreedBuffers() : List.of();
                        collector.backward(loss);
                        assertThat(garbage).isNotNull();
                    }
                    out.add(x.getGradient().toFloatArray());
                }
                for (NDArray p : lora.parameters()) {
                    out.add(p.getGradient().toFloatArray());
                }
            }
        }
        return out;
    }

    /** A torch-owned (B, T, H) leaf that wants its gradient. */
    private NDArray input(NDManager scope, Random random) {
        NDArray x = input(scope, random, new Shape(BATCH, STEPS, TinyModels.HIDDEN));
        x.setRequiresGradient(true);
        return x;
    }

    private static NDArray input(NDManager scope, Random random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Torch.owned(scope.create(values, shape));
    }

    /**
     * Runs full collections until the direct buffers that nothing references any more are freed (their count stops
     * falling below that of a buffer dropped here on purpose), then takes freed memory back with buffers of NaN.
     */
    private static List<ByteBuffer> collectAndOverwriteFreedBuffers() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getCount();
        ByteBuffer.allocateDirect(1 << 16); // dropped at once: proof that the cleaner has run once it is gone
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (direct.getCount() > before - 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.yield();
        }
        assertThat(direct.getCount()).as("freed direct buffers after GC").isLessThan(before);
        List<ByteBuffer> nan = new ArrayList<>();
        for (int size : new int[] {4, 8, 16, 64, 256, 1024, 4096}) {
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                nan.add(b);
            }
        }
        return nan;
    }

    private static int[][] ids() {
        int[][] ids = new int[BATCH][STEPS];
        Random random = new Random(9);
        for (int[] row : ids) {
            for (int t = 0; t < STEPS; t++) {
                row[t] = random.nextInt(TinyModels.VOCAB);
            }
        }
        return ids;
    }

    private static long[][] positions() {
        long[][] positions = new long[BATCH][STEPS];
        for (long[] row : positions) {
            for (int t = 0; t < STEPS; t++) {
                row[t] = t;
            }
        }
        return positions;
    }

    private static int[][] segments() {
        int[][] segments = new int[BATCH][STEPS];
        for (int[] row : segments) {
            java.util.Arrays.fill(row, 1);
        }
        return segments;
    }
}
