package dev.tunewright.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.cli.model.ScoreGenerateCommandTest.Run;
import dev.tunewright.engine.model.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftctl model train} end to end on a tiny random Llama: data report, adapter, checkpoints, metrics, resume. */
class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path tinyChatModel() throws IOException {
        Path model = dir.resolve("model");
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 32).put("intermediate_size", 48).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", 64)
                .put("rms_norm_eps", 1e-5).put("bos_token_id", 1).put("eos_token_id", 2).put("tie_word_embeddings", true);
        RandomCheckpoint.write(model, c, 5, false);
        ScoreGenerateCommandTest.writeTokenizer(model);
        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token", "<s>").put("eos_token", "</s>").put("clean_up_tokenization_spaces", false);
        // Every turn ends with the EOS token, so each reply has an end-of-turn to train.
        config.put("chat_template", "{{ bos_token }}{% for m in messages %}w10 {{ m['content'] }} {{ eos_token }} {% endfor %}"
                + "{% if add_generation_prompt %}w10 {% endif %}");
        JSON.writeValue(model.resolve("tokenizer_config.json").toFile(), config);
        return model;
    }

    private Path data(String name, int rows) throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            content.append("{\"prompt\":\"w").append(20 + i % 7).append(" w").append(30 + i % 5)
                    .append("\",\"completion\":\"w").append(40 + i % 3).append("\"}\n");
        }
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void trainsWritesAdapterCheckpointsAndMetricsAndResumes() throws IOException {
        Path model = tinyChatModel();
        Path out = dir.resolve("run");
        String[] args = {"train", "--model", model.toString(), "--data", data("train.jsonl", 12).toString(),
                "--validation", data("val.jsonl", 4).toString(), "--out", out.toString(), "--lora-r", "4",
                "--target-modules", "q_proj,v_proj", "--max-steps", "3", "--batch-size", "4", "--lr", "1e-3",
                "--save-every", "1", "--eval-every", "3", "--device", "cpu", "--json-metrics", dir.resolve("m.jsonl").toString()};
        Run run = ScoreGenerateCommandTest.run(new ModelCommand(), args);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("train.jsonl: 12 examples kept, 0 truncated, 0 dropped");
        assertThat(run.out()).contains("training completed after 3 steps");
        assertThat(out.resolve("adapter/adapter_config.json")).exists();
        assertThat(out.resolve("adapter/adapter_model.safetensors")).exists();
        JsonNode adapterConfig = JSON.readTree(out.resolve("adapter/adapter_config.json").toFile());
        assertThat(adapterConfig.get("base_model_name_or_path").asText()).isEqualTo(model.toString());
        assertThat(adapterConfig.get("r").asInt()).isEqualTo(4);
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(3);
        JsonNode last = JSON.readTree(metrics.get(2));
        assertThat(last.get("step").asInt()).isEqualTo(3);
        assertThat(last.get("validation_loss").isNumber()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("m.jsonl"))).isEqualTo(metrics);

        Run again = ScoreGenerateCommandTest.run(new ModelCommand(), args);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds checkpoints").contains("--resume");

        Path checkpoint;
        try (Stream<Path> checkpoints = Files.list(out.resolve("checkpoints"))) {
            checkpoint = checkpoints.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
        }
        String[] resumed = Stream.concat(Stream.of(args), Stream.of("--resume", checkpoint.toString())).toArray(String[]::new);
        Run resume = ScoreGenerateCommandTest.run(new ModelCommand(), resumed);
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("resumed from");
    }

    @Test
    void qloraWithGradientCheckpointingQuantizesTheBaseAndTrainsAnAdapter() throws IOException {
        Path model = tinyChatModel();
        Path out = dir.resolve("qrun");
        Run run = ScoreGenerateCommandTest.run(new ModelCommand(), "train", "--model", model.toString(), "--data",
                data("train.jsonl", 8).toString(), "--out", out.toString(), "--qlora", "--gradient-checkpointing", "--lora-r", "4",
                "--max-steps", "2", "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("qlora: 14 base linears in NF4");
        assertThat(out.resolve("adapter/adapter_model.safetensors")).exists();
    }

    /** bf16 forced (whatever the CPU), with QLoRA and checkpointing on top: the log says so and the adapter is written. */
    @Test
    void trainsOverABfloat16BaseAndRefusesAnUnknownDtype() throws IOException {
        Path model = tinyChatModel();
        Path out = dir.resolve("bf16run");
        Run run = ScoreGenerateCommandTest.run(new ModelCommand(), "train", "--model", model.toString(), "--data",
                data("train.jsonl", 8).toString(), "--out", out.toString(), "--qlora", "--gradient-checkpointing",
                "--lora-r", "4", "--max-steps", "2", "--device", "cpu", "--dtype", "bfloat16");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("compute dtype bfloat16 (as asked)");
        assertThat(out.resolve("adapter/adapter_model.safetensors")).exists();

        Run bad = ScoreGenerateCommandTest.run(new ModelCommand(), "train", "--model", model.toString(), "--data",
                data("train.jsonl", 8).toString(), "--out", dir.resolve("fp8run").toString(), "--max-steps", "1",
                "--device", "cpu", "--dtype", "fp8");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("dtype").contains("'fp8' is not one of auto, float32, bfloat16");
        assertThat(dir.resolve("fp8run")).as("nothing written for a refused setting").doesNotExist();
    }

    @Test
    void badDataNamesTheLineAndTrainsNothing() throws IOException {
        Path model = tinyChatModel();
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\":\"w20\",\"completion\":\"w40\"}\n{oops\n");
        Run run = ScoreGenerateCommandTest.run(new ModelCommand(), "train", "--model", model.toString(), "--data",
                bad.toString(), "--out", dir.resolve("run").toString(), "--max-steps", "1", "--device", "cpu");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("bad.jsonl:2");
        assertThat(dir.resolve("run/adapter")).doesNotExist();
    }
}
