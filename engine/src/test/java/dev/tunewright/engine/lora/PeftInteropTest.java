package dev.tunewright.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.TrainingListener;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.safetensors.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our adapters against Hugging Face PEFT itself, not against our reading of its format: PEFT loads an adapter
 * written here onto the transformers model of the same folder and gives the log-probabilities our engine gives
 * (with the adapter applied and after PEFT's own merge), our merged model folders load in transformers and give
 * the same, and an adapter PEFT writes loads here and gives PEFT's log-probabilities, for every family (Phi-3's fused projections and Gemma 2's soft-caps and sliding window
 * included). Needs a Python with torch, transformers and peft ({@code TUNEWRIGHT_PYTHON}, default
 * {@code python3}); skipped, saying so, where there is none.
 */
class PeftInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() throws IOException, InterruptedException {
        String candidate = System.getenv().getOrDefault("TUNEWRIGHT_PYTHON", "python3");
        String why = probe(candidate);
        Assumptions.assumeTrue(why == null, () -> "no Python with torch, transformers and peft for the PEFT interop "
                + "checks: " + why);
        python = candidate;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void peftLoadsOurAdapterAndGivesOurLogProbs(String family) throws Exception {
        Path base = model(family);
        List<int[]> sequences = sequences();
        Path adapter = dir.resolve("ours");
        List<double[]> ours;
        try (LanguageModel model = TinyModels.load(base);
             LoraAdapters lora = LoraAdapters.attach(model,
                     new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), family.equals("qwen2")), 5)) {
            LoraTestSupport.randomizeB(lora, 6);
            lora.save(adapter, base.toString(), null);
            ours = model.logProbs(sequences);
        }
        // our merges, in the base dtype and in float32: model folders that transformers loads as they are
        Path mergedBase = dir.resolve("merged-base-dtype");
        Path mergedF32 = dir.resolve("merged-float32");
        LoraMerge.merge(base, adapter, mergedBase, null);
        LoraMerge.merge(base, adapter, mergedF32, DType.F32);
        List<double[]> oursMergedBase;
        try (LanguageModel model = TinyModels.load(mergedBase)) {
            oursMergedBase = model.logProbs(sequences);
        }
        JsonNode peft = runPeft("score", base, adapter, sequences, mergedBase, mergedF32);
        assertClose(ours, peft.get("adapter"), family + " with PEFT's adapter");
        assertClose(ours, peft.get("merged"), family + " after PEFT's merge_and_unload");
        // the bfloat16 merge rounds the merged weights, so it is compared with the same folder loaded here
        assertClose(oursMergedBase, peft.get("models").get(0), family + " merged here in the base dtype, in transformers");
        assertClose(ours, peft.get("models").get(1), family + " merged here in float32, in transformers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void anAdapterPeftWroteLoadsHereAndGivesPeftsLogProbs(String family) throws Exception {
        Path base = model(family);
        List<int[]> sequences = sequences();
        Path adapter = dir.resolve("theirs");
        JsonNode peft = runPeft("write", base, adapter, sequences);
        try (LanguageModel model = TinyModels.load(base); LoraAdapters lora = LoraAdapters.load(model, adapter)) {
            assertThat(lora.moduleNames()).isNotEmpty();
            assertClose(model.logProbs(sequences), peft.get("adapter"), family + " with PEFT's own adapter loaded here");
        }
    }

    /**
     * An adapter trained on a bf16 base (the frozen weights and activations in bf16, the adapter and AdamW in float32)
     * is an ordinary float32 PEFT adapter: PEFT on the float32 base gives the log-probs we give on the float32 base.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma2"})
    void anAdapterTrainedInBfloat16LoadsInPeftWithOurLogProbs(String family) throws Exception {
        Path base = model(family);
        var sequences = sequences();
        List<PackedSequence> train = TrainingTask.sequences(dir, TrainingTask.rows(48, 1), "train");
        TrainConfig config = TrainConfig.defaults().withMaxSteps(12).withBatch(4, 1)
                .withSchedule(1e-2, 2, TrainConfig.Scheduler.COSINE).withSeed(3);
        Path adapter;
        try (LanguageModel model = TinyModels.load(base, DataType.BFLOAT16);
             Trainer trainer = new Trainer(model, new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), false), config,
                     train, List.of(), dir.resolve("run"), TrainingListener.NONE)) {
            adapter = trainer.train().adapter();
        }
        List<double[]> ours;
        try (LanguageModel model = TinyModels.load(base); LoraAdapters lora = LoraAdapters.load(model, adapter)) {
            assertThat(lora.moduleNames()).isNotEmpty();
            ours = model.logProbs(sequences);
        }
        assertClose(ours, runPeft("score", base, adapter, sequences).get("adapter"),
                family + " adapter trained in bf16, with PEFT");
    }

    private Path model(String family) throws IOException {
        Path folder = dir.resolve("model");
        return switch (family) {
            case "llama" -> TinyModels.llama(folder);
            case "qwen2" -> TinyModels.qwen2(folder);
            case "phi3" -> TinyModels.phi3(folder);
            default -> TinyModels.gemma2(folder);
        };
    }

    /** Three sequences, longer than Gemma 2's 5-token window and within Phi-3's original 16-token context. */
    private static List<int[]> sequences() {
        Random random = new Random(12);
        List<int[]> out = new ArrayList<>();
        for (int length : new int[] {9, 12, 15}) {
            int[] ids = new int[length];
            for (int i = 0; i < length; i++) {
                ids[i] = 3 + random.nextInt(TinyModels.VOCAB - 3);
            }
            out.add(ids);
        }
        return out;
    }

    private static void assertClose(List<double[]> ours, JsonNode theirs, String what) {
        assertThat(theirs.size()).as(what).isEqualTo(ours.size());
        double largest = 0;
        for (int s = 0; s < ours.size(); s++) {
            double[] lp = ours.get(s);
            assertThat(theirs.get(s).size()).as(what).isEqualTo(lp.length - 1);
            for (int i = 1; i < lp.length; i++) {
                double peft = theirs.get(s).get(i - 1).asDouble();
                assertThat(lp[i]).as("%s: sequence %d, token %d", what, s, i).isCloseTo(peft, within(2e-4));
                largest = Math.max(largest, Math.abs(lp[i] - peft));
            }
        }
        System.out.printf("PEFT interop, %s: largest |log-prob difference| %.2e%n", what, largest);
    }

    private JsonNode runPeft(String mode, Path base, Path adapter, List<int[]> sequences, Path... models) throws Exception {
        Path script = dir.resolve("peft_interop.py");
        try (InputStream in = PeftInteropTest.class.getResourceAsStream("/interop/peft_interop.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path input = dir.resolve("sequences.json");
        JSON.writeValue(input.toFile(), sequences);
        Path output = dir.resolve(mode + "-out.json");
        List<String> command = new ArrayList<>(List.of(python, script.toString(), mode, base.toString(), adapter.toString(),
                input.toString(), output.toString()));
        for (Path m : models) {
            command.add(m.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("PEFT finished").isTrue();
        assertThat(p.exitValue()).as("PEFT run failed:%n%s", log).isZero();
        return JSON.readTree(output.toFile());
    }

    /** Null when {@code python} can import torch, transformers and peft, else why not. */
    private static String probe(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, transformers, peft")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return python + " did not answer within 2 minutes";
            }
            if (p.exitValue() != 0) {
                String[] lines = out.split("\n");
                return python + " cannot import torch, transformers and peft (" + lines[lines.length - 1]
                        + "); set TUNEWRIGHT_PYTHON to a Python that has them";
            }
            return null;
        } catch (IOException e) {
            return "no " + python + " on this machine (" + e.getMessage() + ")";
        }
    }
}
