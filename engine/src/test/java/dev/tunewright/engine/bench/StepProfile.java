package dev.tunewright.engine.bench;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.model.Family;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where one LoRA training step's time goes, run by hand (see docs/benchmarks.md): the PeerBenchmark model
 * ({@code bench.layers}, HF init) and shapes (batch 4 x 256, r 16 on all linear layers), one warm-up step, then one
 * step under libtorch's profiler. Prints each op's self time (its time minus the ops it called), grouped as
 * matmul (the linears), attention (bmm, softmax, mask), loss (log-softmax, gather) and other ops, and the rest of
 * the step's wall time (the Java side and DJL's calls). {@code -Dbench.dtype=bfloat16} (or auto) profiles the bf16 base.
 */
public final class StepProfile {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int layers = Integer.getInteger("bench.layers", 4);
        DataType dtype = ComputeDtype.parse(System.getProperty("bench.dtype", "float32"))
                .resolve(Torch.device("cpu"), Family.LLAMA);
        Path work = Files.createTempDirectory("tunewright-profile");
        ObjectNode shape = EngineBenchmark.smolLm2Shape().put("num_hidden_layers", layers);
        Path dir = RandomCheckpoint.write(work.resolve("model"), shape, 1, false, RandomCheckpoint.Init.HF);
        Random random = new Random(7);
        List<PackedSequence> data = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            int[] ids = random.ints(256, 0, 49152).toArray();
            int[] labels = ids.clone();
            labels[0] = TokenizedExample.IGNORE;
            int[] positions = new int[256];
            Arrays.setAll(positions, i -> i);
            int[] segments = new int[256];
            Arrays.fill(segments, 1);
            data.add(new PackedSequence(ids, labels, positions, segments, new long[] {s + 1}));
        }
        Path trace = work.resolve("trace.json");
        long[] wall = {0, 0};
        try (ModelFolder folder = ModelFolder.open(dir);
                LanguageModel model = LanguageModel.load(folder, Torch.device("cpu"), dtype);
                Trainer trainer = new Trainer(model, new LoraConfig(16, 32, 0.05, List.of(LoraConfig.ALL_LINEAR), false),
                        TrainConfig.defaults().withMaxSteps(2).withBatch(4, 1), data, List.of(), work.resolve("run"),
                        m -> {
                            if (m.step() == 1) {
                                JniUtils.startProfile(false, Boolean.getBoolean("bench.shapes"), false);
                                wall[0] = System.nanoTime();
                            } else {
                                wall[1] = System.nanoTime();
                                JniUtils.stopProfile(trace.toString());
                            }
                        })) {
            trainer.train();
        }
        report(JSON.readTree(trace.toFile()), (wall[1] - wall[0]) / 1e3);
        // -Dbench.trace=FILE keeps the trace (with -Dbench.shapes=true, each op's input shapes) for chrome://tracing
        String keep = System.getProperty("bench.trace");
        if (keep != null) {
            Files.copy(trace, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Self time per op from the trace's complete events (ts, dur in µs), nested by time on each thread. */
    private static void report(JsonNode trace, double wallMicros) {
        JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
        Map<String, List<JsonNode>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            if (e.path("ph").asText().equals("X") && e.has("dur")) {
                byThread.computeIfAbsent(e.path("tid").asText(), t -> new ArrayList<>()).add(e);
            }
        }
        Map<String, double[]> self = new HashMap<>();
        double top = 0;
        for (List<JsonNode> list : byThread.values()) {
            list.sort((x, y) -> x.get("ts").asDouble() != y.get("ts").asDouble()
                    ? Double.compare(x.get("ts").asDouble(), y.get("ts").asDouble())
                    : Double.compare(y.get("dur").asDouble(), x.get("dur").asDouble()));
            Deque<double[]> stack = new ArrayDeque<>(); // {end, index into names}
            List<String> names = new ArrayList<>();
            for (JsonNode e : list) {
                double ts = e.get("ts").asDouble();
                double dur = e.get("dur").asDouble();
                while (!stack.isEmpty() && stack.peek()[0] <= ts) {
                    stack.pop();
                }
                String name = e.get("name").asText();
                if (stack.isEmpty()) {
                    top += dur;
                } else {
                    self.get(names.get((int) stack.peek()[1]))[0] -= dur;
                }
                self.computeIfAbsent(name, n -> new double[2])[0] += dur;
                self.get(name)[1]++;
                names.add(name);
                stack.push(new double[] {ts + dur, names.size() - 1});
            }
        }
        Map<String, Double> groups = new java.util.TreeMap<>();
        self.forEach((name, v) -> groups.merge(group(name), v[0], Double::sum));
        System.out.printf("profiled step: wall %.0f ms, inside libtorch ops %.0f ms, outside (Java, DJL calls) %.0f ms%n",
                wallMicros / 1e3, top / 1e3, (wallMicros - top) / 1e3);
        groups.forEach((g, t) -> System.out.printf("  %-12s %8.0f ms %5.1f%%%n", g, t / 1e3, 100 * t / wallMicros));
        System.out.println("top ops by self time:");
        self.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0])).limit(25)
                .forEach(e -> System.out.printf("  %-50s %8.1f ms %6.0f calls%n", e.getKey(), e.getValue()[0] / 1e3,
                        e.getValue()[1]));
    }

    private static String group(String op) {
        String n = op.toLowerCase(java.util.Locale.ROOT);
        if (n.contains("log_softmax") || n.contains("gather") || n.contains("scatter")) {
            return "loss";
        }
        if (n.contains("bmm") || n.contains("softmax") || n.contains("masked_fill") || n.contains("where")) {
            return "attention";
        }
        if (n.matches(".*(::mm|addmm|matmul|::linear|::dot).*")) {
            return "matmul";
        }
        return "other ops";
    }
}
