package dev.tunewright.engine.bench;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.Generator;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.model.Family;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.quant.QuantizedModels;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The engine side by side with Hugging Face transformers + PEFT (the peer people would otherwise use), run by hand,
 * not by the test suite; see docs/benchmarks.md for the command. One model folder (a SmolLM2-135M-shaped Llama,
 * {@code bench.layers} decoder layers, default 8) and one set of token ids are written once; this JVM trains and
 * generates on them, then runs {@code interop/peer_benchmark.py} in the interop Python on the same files with the
 * same shapes, LoRA settings (r 16, alpha 32, dropout 0.05, all linear layers), AdamW and torch thread count, and
 * prints tokens/s of both and their ratio. Sections: {@code train} and {@code generate} (default both), and
 * {@code qlora} (ours QLoRA against ours LoRA; the peer's only where bitsandbytes is installed).
 *
 * <ul>
 *   <li>train: batch 4 x 256, every label trained, one warm-up step then {@code bench.steps} (default 3) timed
 *       steps; ours in float32 and, where the CPU has AMX or AVX-512 BF16, with the base in bf16 ({@code --dtype
 *       bfloat16}); the peer in float32, under {@code torch.autocast("cpu", dtype=torch.bfloat16)} (HF Trainer's
 *       {@code bf16=True} on a CPU), and with its base loaded in bf16 under the same autocast.</li>
 *   <li>generate: greedy, 128 new tokens after 32-token prompts, KV cache, batch 1 and 8, on the base model; float32
 *       on both sides, then both in bf16 where the CPU supports it.</li>
 *   <li>{@code -Dbench.init=unit} writes the weights of {@link RandomCheckpoint.Init#UNIT_ACTIVATIONS} instead of
 *       HF's initializer_range 0.02, and adds the denormal rows: ours with flushing switched off, the peer with
 *       {@code torch.set_flush_denormal(True)}.</li>
 * </ul>
 *
 * <p>Python: {@code TUNEWRIGHT_PYTHON}, else {@code .venv-interop/bin/python} (what {@code run-tests} prepares).
 */
public final class PeerBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4;
    private static final int LENGTH = 256;
    private static final int PROMPT = 32;
    private static final int NEW_TOKENS = 128;
    private static final LoraConfig LORA = new LoraConfig(16, 32, 0.05, List.of(LoraConfig.ALL_LINEAR), false);

    private final Path work;
    private final Path model;
    private final Path data;
    private final Path script;
    private final String python;
    private final int threads;
    private final List<PackedSequence> sequences;
    private final List<int[]> prompts;
    private final List<String> table = new ArrayList<>();

    private PeerBenchmark(Path work, RandomCheckpoint.Init init, int layers, int steps) throws IOException {
        this.work = work;
        ObjectNode shape = EngineBenchmark.smolLm2Shape().put("num_hidden_layers", layers).put("model_type", "llama")
                .put("initializer_range", 0.02);
        model = RandomCheckpoint.write(work.resolve("model"), shape, 1, false, init);
        Random random = new Random(7);
        int vocab = shape.get("vocab_size").asInt();
        ObjectNode json = JSON.createObjectNode();
        ArrayNode batches = json.putArray("batches");
        sequences = new ArrayList<>();
        for (int s = 0; s <= steps; s++) {
            ArrayNode batch = batches.addArray();
            for (int b = 0; b < BATCH; b++) {
                int[] ids = draw(random, LENGTH, vocab);
                ArrayNode row = batch.addArray();
                Arrays.stream(ids).forEach(row::add);
                sequences.add(sequence(ids, sequences.size() + 1));
            }
        }
        prompts = new ArrayList<>();
        ArrayNode promptRows = json.putArray("prompts");
        for (int p = 0; p < 8; p++) {
            int[] ids = draw(random, PROMPT, vocab);
            prompts.add(ids);
            ArrayNode row = promptRows.addArray();
            Arrays.stream(ids).forEach(row::add);
        }
        data = work.resolve("data.json");
        JSON.writeValue(data.toFile(), json);
        script = work.resolve("peer_benchmark.py");
        try (InputStream in = PeerBenchmark.class.getResourceAsStream("/interop/peer_benchmark.py")) {
            Files.copy(in, script);
        }
        String configured = System.getenv("TUNEWRIGHT_PYTHON");
        python = configured != null && !configured.isBlank() ? configured : ".venv-interop/bin/python";
        threads = JniUtils.getNumThreads();
    }

    public static void main(String[] args) throws Exception {
        List<String> sections = args.length == 0 ? List.of("train", "generate") : Arrays.asList(args);
        int layers = Integer.getInteger("bench.layers", 8);
        int steps = Integer.getInteger("bench.steps", 3);
        RandomCheckpoint.Init init = System.getProperty("bench.init", "hf").equals("unit")
                ? RandomCheckpoint.Init.UNIT_ACTIVATIONS : RandomCheckpoint.Init.HF;
        Torch.engine();
        System.out.printf("PyTorch %s (DJL), torch intra-op threads %d, %d cores visible to the JVM, weights %s, "
                        + "%d layers%n", Torch.engine().getVersion(), JniUtils.getNumThreads(),
                Runtime.getRuntime().availableProcessors(), init, layers);
        System.out.println(cpu());
        Path work = Files.createTempDirectory("tunewright-peer-bench");
        try {
            PeerBenchmark bench = new PeerBenchmark(work, init, layers, steps);
            if (sections.contains("train")) {
                bench.train(init == RandomCheckpoint.Init.UNIT_ACTIVATIONS);
            }
            if (sections.contains("generate")) {
                bench.generate();
            }
            if (sections.contains("qlora")) {
                bench.qlora();
            }
            System.out.printf("%n| measurement | tunewright tokens/s | peer tokens/s | tunewright / peer |%n|---|---|---|---|%n");
            bench.table.forEach(System.out::println);
            System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void train(boolean denormalRows) throws IOException {
        double ours = ourTraining(true);
        JsonNode peerFloat32 = peer("train", "--precision", "float32");
        row("LoRA training, float32 / float32", ours, peerFloat32);
        if (bf16()) {
            double oursBf16 = ourTraining(true, false, DataType.BFLOAT16);
            JsonNode peerAutocast = peer("train", "--precision", "bf16-autocast");
            row("LoRA training, ours float32 / peer bf16 autocast", ours, peerAutocast);
            row("LoRA training, ours bf16 base / peer bf16 autocast (HF Trainer's bf16=True)", oursBf16, peerAutocast);
            row("LoRA training, ours bf16 base / peer bf16 base under autocast (its fastest CPU setting)", oursBf16,
                    peer("train", "--precision", "bf16-weights"));
            row("LoRA training, ours bf16 base / peer float32", oursBf16, peerFloat32);
        } else {
            table.add("| LoRA training in bf16 | | not measured: this CPU has neither AMX nor AVX-512 BF16 | |");
        }
        if (denormalRows) {
            double unflushed = ourTraining(false);
            row("LoRA training, float32, denormals NOT flushed on either side", unflushed,
                    peer("train", "--precision", "float32"));
            row("LoRA training, float32, denormals flushed on both sides", ours,
                    peer("train", "--precision", "float32", "--flush-denormal"));
        }
    }

    /**
     * Ours QLoRA (every decoder linear NF4, packed as it is read) against ours LoRA, alternately twice; the peer's
     * QLoRA (PEFT on a bitsandbytes 4-bit base) only where bitsandbytes is installed.
     */
    private void qlora() throws IOException {
        for (int round = 0; round < 2; round++) {
            DataType dtype = bf16() ? DataType.BFLOAT16 : DataType.FLOAT32;
            double lora = ourTraining(true, false, dtype);
            double qlora = ourTraining(true, true, dtype);
            table.add(String.format(Locale.ROOT, "| QLoRA training / our LoRA training, %s, round %d | %.1f | (ours, "
                    + "LoRA) %.1f | **%.2fx** |", dtype, round + 1, qlora, lora, qlora / lora));
        }
        JsonNode bnb = peer("capability", "--require", "bitsandbytes");
        if (bnb == null) {
            table.add("| QLoRA training against PEFT on bitsandbytes 4-bit | | not measured: no bitsandbytes in the "
                    + "peer's Python | |");
        }
    }

    private double ourTraining(boolean flushDenormals) throws IOException {
        return ourTraining(flushDenormals, false, DataType.FLOAT32);
    }

    /** Mean tokens/s of the timed steps, with denormals flushed or (switched off) not, LoRA or QLoRA, in a dtype. */
    private double ourTraining(boolean flushDenormals, boolean quantized, DataType dtype) throws IOException {
        String before = System.getProperty("tunewright.torch.flushDenormals");
        System.setProperty("tunewright.torch.flushDenormals", String.valueOf(flushDenormals));
        List<Double> seconds = new ArrayList<>();
        long[] last = {0};
        TrainConfig config = TrainConfig.defaults().withMaxSteps(sequences.size() / BATCH).withBatch(BATCH, 1)
                .withSeed(5);
        try (LanguageModel lm = quantized ? loadQuantized(dtype) : load(dtype);
                Trainer trainer = new Trainer(lm, LORA, config, sequences, List.of(),
                        Files.createTempDirectory(work, "run"), m -> {
                            long now = System.nanoTime();
                            seconds.add((now - last[0]) / 1e9);
                            last[0] = now;
                        })) {
            last[0] = System.nanoTime();
            trainer.train();
        } finally {
            if (before == null) {
                System.clearProperty("tunewright.torch.flushDenormals");
            } else {
                System.setProperty("tunewright.torch.flushDenormals", before);
            }
        }
        double mean = seconds.subList(1, seconds.size()).stream().mapToDouble(Double::doubleValue).average()
                .orElseThrow();
        System.out.printf("ours: %s, %s, flush denormals %s, warm-up %.2f s, timed steps %s s, %.1f tokens/s%n",
                quantized ? "QLoRA" : "LoRA", dtype, flushDenormals, seconds.get(0), seconds.subList(1, seconds.size()), BATCH * LENGTH / mean);
        return BATCH * LENGTH / mean;
    }

    private void generate() throws IOException {
        generate(DataType.FLOAT32);
        if (bf16()) {
            generate(DataType.BFLOAT16);
        }
    }

    private void generate(DataType dtype) throws IOException {
        String precision = dtype == DataType.BFLOAT16 ? "bfloat16" : "float32";
        try (LanguageModel lm = load(dtype)) {
            Generator generator = new Generator(lm);
            for (int batch : new int[] {1, 8}) {
                List<int[]> rows = prompts.subList(0, batch);
                generator.generate(rows, SamplingParams.greedy(4, Set.of()), null);
                long start = System.nanoTime();
                List<Generation> out = generator.generate(rows, SamplingParams.greedy(NEW_TOKENS, Set.of()), null);
                double seconds = (System.nanoTime() - start) / 1e9;
                int tokens = out.stream().mapToInt(g -> g.tokenIds().length).sum();
                System.out.printf("ours: generate, %s, batch %d, %d new tokens in %.2f s%n", precision, batch, tokens,
                        seconds);
                row("greedy generation, " + precision + ", 128 new tokens, batch " + batch, tokens / seconds,
                        peer("generate", "--batch", String.valueOf(batch), "--new-tokens", String.valueOf(NEW_TOKENS),
                                "--precision", precision));
            }
        }
    }

    private void row(String what, double ours, JsonNode peer) {
        if (peer == null) {
            table.add(String.format(Locale.ROOT, "| %s | %.1f | failed (see above) | |", what, ours));
            return;
        }
        double theirs = peer.get("tokens_per_s").asDouble();
        table.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | **%.2fx** |", what, ours, theirs, ours / theirs));
    }

    /** Runs the peer script and returns its PEER line, or null (after printing its output) when it failed. */
    private JsonNode peer(String mode, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), mode, "--model", model.toString(),
                "--data", data.toString(), "--threads", String.valueOf(threads)));
        command.addAll(Arrays.asList(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the peer", e);
        }
        JsonNode result = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("PEER ")) {
                result = JSON.readTree(line.substring(5));
                System.out.println("peer: " + line.substring(5));
            }
        }
        if (process.exitValue() != 0 || result == null) {
            System.out.println("peer " + command + " failed (exit " + process.exitValue() + "):\n" + output);
            return null;
        }
        return result;
    }

    private LanguageModel load(DataType dtype) throws IOException {
        try (ModelFolder folder = ModelFolder.open(model)) {
            return LanguageModel.load(folder, Torch.device("cpu"), dtype);
        }
    }

    private LanguageModel loadQuantized(DataType dtype) throws IOException {
        try (ModelFolder folder = ModelFolder.open(model)) {
            return QuantizedModels.load(folder, Torch.device("cpu"), dtype, List.of(LoraConfig.ALL_LINEAR));
        }
    }

    /** Whether {@code --dtype auto} picks bf16 on this CPU: then both sides are measured in bf16 too. */
    private static boolean bf16() {
        return ComputeDtype.AUTO.resolve(Torch.device("cpu"), Family.LLAMA) == DataType.BFLOAT16;
    }

    /** Token ids from {@link Random#longs}: the stream the recorded benchmark rows were measured on. */
    private static int[] draw(Random random, int length, int vocab) {
        return random.longs(length, 0, vocab).mapToInt(Math::toIntExact).toArray();
    }

    private static PackedSequence sequence(int[] ids, long id) {
        int[] tokens = ids.clone();
        int[] labels = tokens.clone();
        labels[0] = TokenizedExample.IGNORE;
        int[] positions = new int[tokens.length];
        Arrays.setAll(positions, i -> i);
        int[] segments = new int[tokens.length];
        Arrays.fill(segments, 1);
        return new PackedSequence(tokens, labels, positions, segments, new long[] {id});
    }

    /** The CPU model and the flags that decide float32/bf16 speed, for the benchmark row. */
    private static String cpu() throws IOException {
        String model = "?";
        List<String> flags = List.of();
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                model = line.substring(line.indexOf(':') + 1).trim();
            } else if (line.startsWith("flags")) {
                flags = Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split(" "))
                        .filter(f -> f.startsWith("avx") || f.startsWith("amx") || f.equals("fma")).toList();
            }
        }
        return "CPU: " + model + "; flags " + String.join(" ", flags) + "; load average before: "
                + Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
