package dev.tunewright.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.Generator;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Engine benchmarks, run by hand (not part of the test suite); see docs/benchmarks.md for the command.
 * Sections: {@code roofline} (float32 matmul FLOP/s) and {@code forward} (SmolLM2-135M-shaped random model,
 * batch 4 x 256, as a fraction of that roofline), {@code generate} (128 new tokens with and without the KV
 * cache) and {@code memory} (RSS over 1,000 generate calls on a small model). No arguments runs them all.
 */
public final class EngineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        List<String> sections = args.length == 0 ? List.of("forward", "generate", "memory") : Arrays.asList(args);
        Device device = Torch.device(System.getProperty("bench.device", "auto"));
        System.out.printf("device %s, PyTorch %s, %d cores visible to the JVM%n", device,
                Torch.engine().getVersion(), Runtime.getRuntime().availableProcessors());
        double roofline = matmulFlops(device);
        Path work = Files.createTempDirectory("tunewright-bench");
        try {
            if (sections.contains("forward") || sections.contains("generate")) {
                Path smol = RandomCheckpoint.write(work.resolve("smol"), smolLm2Shape(), 1, false);
                try (LanguageModel model = load(smol, device)) {
                    if (sections.contains("forward")) {
                        forward(model, roofline);
                    }
                    if (sections.contains("generate")) {
                        generate(model);
                    }
                }
            }
            if (sections.contains("memory")) {
                memory(work, device);
            }
        } finally {
            // the random checkpoints take ~260 MB
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Achieved float32 matmul FLOP/s on a 2048^3 product: the roofline the forward pass is measured against. */
    static double matmulFlops(Device device) {
        int n = 2048;
        try (NDManager m = Torch.engine().newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 2; i++) {
                a.matMul(b).close();
            }
            int reps = 5;
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // forces completion on asynchronous devices
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9 / reps;
            double flops = 2.0 * n * n * n / seconds;
            System.out.printf("roofline: float32 matmul %dx%d @ %dx%d: %.1f ms, %.1f GFLOP/s%n", n, n, n, n,
                    seconds * 1e3, flops / 1e9);
            return flops;
        }
    }

    static void forward(LanguageModel model, double roofline) {
        int batch = 4;
        int steps = 256;
        int[][] ids = randomIds(new Random(1), batch, steps, model.config().vocabSize());
        ModelConfig c = model.config();
        long matmulParams = model.linears().stream().mapToLong(l -> l.inFeatures() * l.outFeatures()).sum();
        // 2 FLOPs per weight per token, plus q.k and p.v: 2 * 2 * T * S * headDim per head, layer and row
        double flops = 2.0 * matmulParams * batch * steps
                + 4.0 * c.numHiddenLayers() * batch * (double) steps * steps * c.numAttentionHeads() * c.headDim();
        try (NDManager m = model.newManager()) {
            model.network().forward(m, ids, null, null, false).close();
            int reps = 3;
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray logits = model.network().forward(m, ids, null, null, false)) {
                    logits.getFloat(0, 0, 0);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9 / reps;
            double achieved = flops / seconds;
            System.out.printf("forward: SmolLM2-135M shape (%d matmul params), batch %d x %d: %.2f s, %.0f tokens/s, "
                            + "%.1f GFLOP/s = %.0f%% of the matmul roofline%n", matmulParams, batch, steps, seconds,
                    batch * steps / seconds, achieved / 1e9, 100 * achieved / roofline);
        }
    }

    static void generate(LanguageModel model) {
        int[] prompt = randomIds(new Random(2), 1, 32, model.config().vocabSize())[0];
        SamplingParams params = SamplingParams.greedy(128, Set.of());
        for (boolean cache : new boolean[] {true, false}) {
            Generator generator = new Generator(model, cache);
            generator.generate(List.of(prompt), SamplingParams.greedy(4, Set.of()), null);
            long start = System.nanoTime();
            Generation g = generator.generate(List.of(prompt), params, null).get(0);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("generate: 32-token prompt, %d new tokens, KV cache %s: %.2f s, %.1f tokens/s%n",
                    g.tokenIds().length, cache ? "on " : "off", seconds, g.tokenIds().length / seconds);
        }
    }

    /** 1,000 generate calls on a small model; native memory must not grow with the number of calls. */
    static void memory(Path work, Device device) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 128).put("intermediate_size", 256).put("num_hidden_layers", 4)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", 1000)
                .put("tie_word_embeddings", true);
        Path dir = RandomCheckpoint.write(work.resolve("small"), c, 3, false);
        try (LanguageModel model = load(dir, device)) {
            Generator generator = new Generator(model);
            Random random = new Random(4);
            List<long[]> rss = new ArrayList<>();
            int calls = 1000;
            for (int i = 1; i <= calls; i++) {
                List<int[]> prompts = List.of(randomIds(random, 1, 8 + random.nextInt(16), 1000)[0],
                        randomIds(random, 1, 4 + random.nextInt(8), 1000)[0]);
                generator.generate(prompts, new SamplingParams(16, 0.8, 0.9, 40, i, Set.of(), List.of()), null);
                if (i == 50 || i % 250 == 0) {
                    rss.add(new long[] {i, rssKb(), model.liveArrayCount()});
                }
            }
            for (long[] r : rss) {
                System.out.printf("memory: after %4d generate calls (2 prompts x 16 tokens): RSS %.1f MiB, live arrays %d%n",
                        r[0], r[1] / 1024.0, r[2]);
            }
            System.out.printf("memory: RSS growth from call 50 to %d: %.1f MiB%n", calls,
                    (rss.get(rss.size() - 1)[1] - rss.get(0)[1]) / 1024.0);
        }
    }

    private static LanguageModel load(Path dir, Device device) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, device);
        }
    }

    /** SmolLM2-135M's shape: hidden 576, 30 layers, 9 heads over 3 kv heads, intermediate 1536, vocab 49152, tied. */
    static ObjectNode smolLm2Shape() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 576).put("intermediate_size", 1536).put("num_hidden_layers", 30)
                .put("num_attention_heads", 9).put("num_key_value_heads", 3).put("vocab_size", 49152)
                .put("max_position_embeddings", 8192).put("rope_theta", 100000.0).put("rms_norm_eps", 1e-5)
                .put("tie_word_embeddings", true);
        return c;
    }

    private static int[][] randomIds(Random random, int rows, int length, int vocab) {
        int[][] out = new int[rows][length];
        for (int[] row : out) {
            for (int i = 0; i < length; i++) {
                row[i] = random.nextInt(vocab);
            }
        }
        return out;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
