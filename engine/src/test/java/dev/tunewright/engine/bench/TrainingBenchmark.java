package dev.tunewright.engine.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Models;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.quant.QuantizedModels;
import dev.tunewright.engine.quant.ResidentBytes;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Training benchmarks, run by hand (not part of the test suite); see docs/benchmarks.md for the command.
 * One mode per JVM, so that peak RSS (VmHWM) of one mode never includes another's:
 *
 * <ul>
 *   <li>{@code lora [steps] [layers]}: SmolLM2-135M-shaped random model, LoRA r=16 on all linear layers, batch
 *       4 x 256 random tokens (all labels trained), one warm-up step then {@code steps} timed steps (default 3);
 *       tokens/s and model-FLOPs utilisation against the float32 matmul roofline of the same process; peak RSS.
 *       {@code layers} (default 30) shrinks the depth when the full model is too slow.</li>
 *   <li>{@code qlora [steps] [layers]}: the same with every decoder-layer linear packed to NF4 as the model is
 *       read; also the resident bytes per base parameter.</li>
 *   <li>a fourth argument {@code checkpointing} turns on activation checkpointing for {@code lora} or
 *       {@code qlora}; the FLOPs counted stay the model's, so the recomputation shows as lower utilisation.</li>
 *   <li>{@code flat [steps] [checkpointing]}: a small model (hidden 64, 2 layers) trained for {@code steps}
 *       (default 1,000) steps; RSS and mean step time along the run.</li>
 * </ul>
 *
 * <p>Run with {@code -Dai.djl.pytorch.num_threads=1}, as the forward benchmark in {@link EngineBenchmark}, and
 * with a fixed, pre-touched Java heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so that RSS changes
 * are native memory rather than the heap growing.
 */
public final class TrainingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4;
    private static final int LENGTH = 256;

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "lora" : args[0];
        Device device = Torch.device(System.getProperty("bench.device", "auto"));
        System.out.printf("mode %s, device %s, PyTorch %s, %d cores visible to the JVM, torch threads %s%n", mode,
                device, Torch.engine().getVersion(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("ai.djl.pytorch.num_threads", "(default)"));
        Path work = Files.createTempDirectory("tunewright-train-bench");
        try {
            switch (mode) {
                case "lora", "qlora" -> throughput(work, device, mode.equals("qlora"),
                        args.length > 1 ? Integer.parseInt(args[1]) : 3,
                        args.length > 2 ? Integer.parseInt(args[2]) : 30,
                        args.length > 3 && args[3].equals("checkpointing"));
                case "flat" -> flat(work, device, args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                        args.length > 2 && args[2].equals("checkpointing"));
                default -> throw new IllegalArgumentException("mode is lora, qlora or flat, got " + mode);
            }
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Tokens/s and MFU of LoRA (or QLoRA) training. FLOPs per token (all B x T positions go through forward and
     * backward): 4 N for the frozen base (N = matmul parameters incl. the tied LM head: forward 2N, backward
     * through the activations 2N, no weight gradients) + 6 P for the P LoRA parameters + 12 L T H d for attention
     * (q.k and p.v, 4 L T H d forward over the full T x T square, twice that backward).
     */
    static void throughput(Path work, Device device, boolean quantized, int steps, int layers, boolean checkpointing)
            throws IOException {
        double roofline = EngineBenchmark.matmulFlops(device);
        ObjectNode shape = EngineBenchmark.smolLm2Shape().put("num_hidden_layers", layers);
        Path dir = RandomCheckpoint.write(work.resolve("model"), shape, 1, false);
        resetPeak();
        try (LanguageModel model = quantized ? loadQuantized(dir, device) : load(dir, device)) {
            ModelConfig c = model.config();
            long n = model.linears().stream().mapToLong(l -> l.inFeatures() * l.outFeatures()).sum();
            long baseParams = Models.layout(c).parameterCount();
            System.out.printf("model: %d layers, hidden %d, %d base parameters, %d of them in matmuls (incl. tied LM head)%n",
                    c.numHiddenLayers(), c.hiddenSize(), baseParams, n);
            System.out.printf("memory after load: RSS %.1f MiB, peak during load %.1f MiB%n", kb("VmRSS") / 1024.0,
                    kb("VmHWM") / 1024.0);
            if (quantized) {
                ResidentBytes r = QuantizedModels.residentBytes(model);
                System.out.printf("qlora: %s%n", r);
                System.out.printf("qlora: resident base bytes %.1f MiB = %.4f bytes per base parameter%n",
                        r.totalBytes() / 1048576.0, r.bytesPerParameter());
            }
            List<PackedSequence> data = randomSequences(new Random(7), BATCH * (steps + 1), LENGTH, c.vocabSize());
            TrainConfig config = TrainConfig.defaults().withMaxSteps(steps + 1).withBatch(BATCH, 1).withSeed(5)
                    .withGradientCheckpointing(checkpointing);
            LoraConfig lora = new LoraConfig(16, 32, 0.05, List.of(LoraConfig.ALL_LINEAR), false);
            long wholeRunPeak = kb("VmHWM");
            long before = kb("VmRSS");
            long heapBefore = heapUsedKb();
            resetPeak();
            List<Double> seconds = new ArrayList<>();
            long[] trainPeak = {0};
            long[] last = {0};
            TrainingListener listener = m -> {
                long now = System.nanoTime();
                seconds.add((now - last[0]) / 1e9);
                last[0] = now;
                trainPeak[0] = kb("VmHWM");
                System.out.printf("step %d: %.2f s, loss %.3f, RSS %.1f MiB, peak since setup %.1f MiB%n", m.step(),
                        seconds.get(seconds.size() - 1), m.trainLoss(), kb("VmRSS") / 1024.0, trainPeak[0] / 1024.0);
            };
            try (Trainer trainer = new Trainer(model, lora, config, data, List.of(), work.resolve("run"), listener)) {
                long p = trainer.adapters().parameters().stream().mapToLong(a -> a.getShape().size()).sum();
                double attention = 12.0 * c.numHiddenLayers() * LENGTH * c.numAttentionHeads() * c.headDim();
                double perToken = 4.0 * n + 6.0 * p + attention;
                System.out.printf("flops/token: 4N %.4g + 6P %.4g (P = %d LoRA params) + attention %.4g = %.4g%n",
                        4.0 * n, 6.0 * p, p, attention, perToken);
                last[0] = System.nanoTime();
                trainer.train();
                double mean = seconds.subList(1, seconds.size()).stream().mapToDouble(Double::doubleValue)
                        .average().orElseThrow();
                double tokensPerSecond = BATCH * LENGTH / mean;
                double achieved = perToken * tokensPerSecond;
                // measured again after training: on a shared machine the roofline moves with the load
                double rooflineAfter = EngineBenchmark.matmulFlops(device);
                System.out.printf("%s%s: %d layers, batch %d x %d, warm-up step %.2f s, mean of %d timed steps %.2f s, "
                                + "%.0f tokens/s, %.1f GFLOP/s = %.1f%% of the matmul roofline before training (%.1f "
                                + "GFLOP/s), %.1f%% of the one after (%.1f GFLOP/s)%n",
                        quantized ? "QLoRA" : "LoRA", checkpointing ? " + checkpointing" : "", c.numHiddenLayers(), BATCH,
                        LENGTH, seconds.get(0), steps, mean,
                        tokensPerSecond, achieved / 1e9, 100 * achieved / roofline, roofline / 1e9,
                        100 * achieved / rooflineAfter, rooflineAfter / 1e9);
            }
            System.out.printf("%s%s memory: RSS before training %.1f MiB (Java heap used %.1f MiB), peak RSS during "
                            + "training %.1f MiB (+%.1f MiB), whole-process peak before training %.1f MiB%n",
                    quantized ? "QLoRA" : "LoRA", checkpointing ? " + checkpointing" : "", before / 1024.0, heapBefore / 1024.0, trainPeak[0] / 1024.0,
                    (trainPeak[0] - before) / 1024.0, wholeRunPeak / 1024.0);
        }
    }

    /** RSS and step time over many steps of a small model: neither may grow with the step count. */
    static void flat(Path work, Device device, int steps, boolean checkpointing) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 64).put("intermediate_size", 128).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", 512)
                .put("tie_word_embeddings", true);
        Path dir = RandomCheckpoint.write(work.resolve("small"), c, 3, false);
        try (LanguageModel model = load(dir, device)) {
            List<PackedSequence> data = randomSequences(new Random(9), 64, 32, 512);
            TrainConfig config = TrainConfig.defaults().withMaxSteps(steps).withBatch(4, 1).withSeed(5)
                    .withGradientCheckpointing(checkpointing);
            LoraConfig lora = new LoraConfig(8, 16, 0.05, List.of(LoraConfig.ALL_LINEAR), false);
            long[] last = {0};
            double[] stepSeconds = new double[steps + 1];
            List<long[]> marks = new ArrayList<>();
            TrainingListener listener = m -> {
                long now = System.nanoTime();
                stepSeconds[m.step()] = (now - last[0]) / 1e9;
                last[0] = now;
                if (m.step() == 10 || m.step() % 100 == 0) {
                    marks.add(new long[] {m.step(), kb("VmRSS"), model.liveArrayCount(), heapUsedKb()});
                }
            };
            try (Trainer trainer = new Trainer(model, lora, config, data, List.of(), work.resolve("run"), listener)) {
                last[0] = System.nanoTime();
                trainer.train();
            }
            for (long[] mark : marks) {
                int s = (int) mark[0];
                int from = Math.max(1, s - 49);
                double mean = Arrays.stream(stepSeconds, from, s + 1).average().orElseThrow();
                System.out.printf("flat: step %4d: RSS %.1f MiB, live arrays in the model's manager %d, Java heap used "
                        + "%.1f MiB, mean step time over steps %d-%d %.2f ms%n", s, mark[1] / 1024.0, mark[2],
                        mark[3] / 1024.0, from, s, mean * 1e3);
            }
            long[] at100 = marks.stream().filter(m -> m[0] == 100).findFirst().orElseThrow();
            long[] atEnd = marks.get(marks.size() - 1);
            double t100 = Arrays.stream(stepSeconds, 51, 101).average().orElseThrow();
            double tEnd = Arrays.stream(stepSeconds, steps - 49, steps + 1).average().orElseThrow();
            System.out.printf("flat: RSS step 100 -> %d: %.1f -> %.1f MiB (%+.1f MiB); mean step time steps 51-100 "
                            + "%.2f ms, steps %d-%d %.2f ms (%+.1f%%)%n", steps, at100[1] / 1024.0, atEnd[1] / 1024.0,
                    (atEnd[1] - at100[1]) / 1024.0, t100 * 1e3, steps - 49, steps, tEnd * 1e3, 100 * (tEnd / t100 - 1));
        }
    }

    /** Random tokens with every label trained (the first is never predicted, so it is ignored). */
    private static List<PackedSequence> randomSequences(Random random, int count, int length, int vocab) {
        List<PackedSequence> out = new ArrayList<>(count);
        int[] positions = new int[length];
        Arrays.setAll(positions, i -> i);
        int[] segments = new int[length];
        Arrays.fill(segments, 1);
        for (int s = 0; s < count; s++) {
            int[] ids = new int[length];
            Arrays.setAll(ids, i -> random.nextInt(vocab));
            int[] labels = ids.clone();
            labels[0] = TokenizedExample.IGNORE;
            out.add(new PackedSequence(ids, labels, positions, segments, new long[] {s + 1}));
        }
        return out;
    }

    private static LanguageModel load(Path dir, Device device) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, device);
        }
    }

    /** QLoRA's load: each decoder linear packed to NF4 as it is read, the float model never whole. */
    private static LanguageModel loadQuantized(Path dir, Device device) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return QuantizedModels.load(folder, device, Torch.dtypeFor(device, ModelConfig.fromJson(folder.config()).family()),
                    List.of(LoraConfig.ALL_LINEAR));
        }
    }

    private static long heapUsedKb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1024;
    }

    /** A line of /proc/self/status in kB (VmRSS, VmHWM). */
    private static long kb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS (Linux: "5" to /proc/self/clear_refs), so a later peak is that phase's. */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            System.out.println("note: could not reset VmHWM (" + e.getMessage() + "); peaks include loading");
        }
    }
}
