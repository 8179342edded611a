package dev.tunewright.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.cli.model.ScoreGenerateCommandTest.Run;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code score --adapter} applies a PEFT adapter, and {@code merge} bakes the same adapter into a folder. */
class MergeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void scoringWithTheAdapterEqualsScoringTheMergedModel() throws IOException {
        Path base = dir.resolve("base");
        Path adapter = dir.resolve("adapter");
        Path merged = dir.resolve("merged");
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 32).put("intermediate_size", 48).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", 64)
                .put("rms_norm_eps", 1e-5).put("tie_word_embeddings", true);
        RandomCheckpoint.write(base, c, 5, false);
        try (ModelFolder folder = ModelFolder.open(base);
             LanguageModel model = LanguageModel.load(folder, Device.cpu());
             LoraAdapters lora = LoraAdapters.attach(model, new LoraConfig(4, 8, 0, List.of("q_proj", "down_proj"), false), 1)) {
            Random random = new Random(2);
            lora.byPeftKey().forEach((k, a) -> {
                float[] v = new float[Math.toIntExact(a.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian() * 0.3f;
                }
                a.set(v);
            });
            lora.save(adapter, "tiny-llama", null);
        }
        String ids = "1,5,9,17,33,40,2";
        Run plain = ScoreGenerateCommandTest.run(new ModelCommand(), "score", "--model", base.toString(),
                "--token-ids", ids, "--device", "cpu", "--json");
        Run adapted = ScoreGenerateCommandTest.run(new ModelCommand(), "score", "--model", base.toString(),
                "--adapter", adapter.toString(), "--token-ids", ids, "--device", "cpu", "--json");
        Run merge = ScoreGenerateCommandTest.run(new ModelCommand(), "merge", "--model", base.toString(),
                "--adapter", adapter.toString(), "--out", merged.toString(), "--dtype", "float32");
        assertThat(merge.exit()).as(merge.err()).isZero();
        assertThat(merge.out()).contains("4 linear layers");
        Run fromMerged = ScoreGenerateCommandTest.run(new ModelCommand(), "score", "--model", merged.toString(),
                "--token-ids", ids, "--device", "cpu", "--json");
        assertThat(adapted.exit()).as(adapted.err()).isZero();
        JsonNode a = adapted.json().get("logprobs");
        JsonNode m = fromMerged.json().get("logprobs");
        JsonNode p = plain.json().get("logprobs");
        for (int i = 1; i < a.size(); i++) {
            assertThat(m.get(i).asDouble()).isCloseTo(a.get(i).asDouble(), within(1e-4));
        }
        assertThat(a.get(3).asDouble()).isNotCloseTo(p.get(3).asDouble(), within(1e-3));

        Run wrong = ScoreGenerateCommandTest.run(new ModelCommand(), "score", "--model", base.toString(),
                "--adapter", base.toString(), "--token-ids", ids, "--device", "cpu");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("error: ").contains("adapter_config.json: missing");
        Run badDtype = ScoreGenerateCommandTest.run(new ModelCommand(), "merge", "--model", base.toString(),
                "--adapter", adapter.toString(), "--out", merged.toString(), "--dtype", "int8");
        assertThat(badDtype.err()).contains("dtype 'int8' is not one of float32, bfloat16, float16");
    }
}
