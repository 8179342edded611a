package dev.tunewright.registry.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraTestSupport;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving-readiness checks on real PEFT adapters written by the engine for a tiny Qwen2 base. */
class ServingReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT = "7ae557604adf67be50417f59c2c2f167def9a775";

    @TempDir
    Path dir;
    private Path base;
    private ServingReadiness.Base localBase;

    @BeforeEach
    void writeBase() throws IOException {
        base = TinyModels.qwen2(dir.resolve("tiny-qwen2"));
        localBase = new ServingReadiness.Base("tiny-qwen2", null, "a".repeat(64), false, base, null);
    }

    private Path adapter(String name, int r, List<String> targets) throws IOException {
        Path out = dir.resolve(name);
        try (LanguageModel model = TinyModels.load(base);
             LoraAdapters lora = LoraAdapters.attach(model, new LoraConfig(r, 2.0 * r, 0, targets, false), 1)) {
            LoraTestSupport.randomizeB(lora, 2);
            lora.save(out, "tiny-qwen2", null);
        }
        return out;
    }

    private static Map<String, ServingReadiness.Check> byName(ServingReadiness.Result result) {
        return result.checks().stream().collect(Collectors.toMap(ServingReadiness.Check::check, Function.identity()));
    }

    private static void editConfig(Path adapter, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = adapter.resolve("adapter_config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(config);
        JSON.writeValue(file.toFile(), config);
    }

    @Test
    void anAdapterTheServerCanLoadPassesEveryCheckWithItsReason() throws IOException {
        ServingReadiness.Result result = ServingReadiness.check(adapter("good", 4, List.of("q_proj", "v_proj")), localBase, 16);

        assertThat(result.failures()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.rank()).isEqualTo(4);
        assertThat(result.checks()).extracting(ServingReadiness.Check::check).containsExactly("peft_layout", "base_model",
                "loadable", "rank", "modules_to_save", "dora", "bias", "embedding_weights", "added_tokens",
                "target_modules", "base_revision_pinned");
        Map<String, ServingReadiness.Check> checks = byName(result);
        assertThat(checks.get("loadable").reason()).contains("Qwen2ForCausalLM", "r=4");
        assertThat(checks.get("rank").reason()).contains("--max-lora-rank 8");
        assertThat(checks.get("target_modules").reason()).contains("q_proj, v_proj");
        assertThat(checks.get("base_revision_pinned").reason()).contains("weights hash");
    }

    @Test
    void rank32IsRefusedUnderTheDefaultLimitInVllmsOwnWords() throws IOException {
        ServingReadiness.Result result = ServingReadiness.check(adapter("r32", 32, List.of("q_proj")), localBase, 16);

        assertThat(result.passed()).isFalse();
        assertThat(result.failures()).hasSize(1);
        assertThat(byName(result).get("rank").reason()).contains("LoRA rank 32 is greater than max_lora_rank 16");
        assertThat(ServingReadiness.check(dir.resolve("r32"), localBase, 32).passed()).isTrue();
    }

    @Test
    void modulesToSaveWithLmHeadWeightsFailsEveryCheckItBreaks() throws IOException {
        Path adapter = adapter("mts", 4, List.of("q_proj"));
        editConfig(adapter, c -> c.putArray("modules_to_save").add("lm_head"));
        Path weights = adapter.resolve("adapter_model.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(weights)) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String k : st.tensors().keySet()) {
                w.add(k, DType.F32, st.info(k).shape(), st.readFloats(k));
            }
            w.add("base_model.model.lm_head.modules_to_save.default.weight", DType.F32, new long[] {2, 2}, new float[4]);
            w.write(dir.resolve("extra.safetensors"));
        }
        Files.move(dir.resolve("extra.safetensors"), weights, StandardCopyOption.REPLACE_EXISTING);

        Map<String, ServingReadiness.Check> checks = byName(ServingReadiness.check(adapter, localBase, 16));

        assertThat(checks.get("modules_to_save").passed()).isFalse();
        assertThat(checks.get("modules_to_save").reason()).contains("vLLM only supports modules_to_save being None");
        assertThat(checks.get("embedding_weights").passed()).isFalse();
        assertThat(checks.get("embedding_weights").reason()).contains("lm_head");
        assertThat(checks.get("loadable").passed()).isFalse();
        assertThat(checks.get("loadable").reason()).startsWith("adapter_config.json:").doesNotContain(dir.toString());
        assertThat(checks.get("rank").passed()).isTrue();
    }

    @Test
    void doraBiasesAndUnknownTargetsAreNamed() throws IOException {
        Path adapter = adapter("dora", 8, List.of("q_proj"));
        editConfig(adapter, c -> {
            c.put("use_dora", true);
            c.put("bias", "all");
            c.putArray("target_modules").add("q_proj").add("embed_tokens");
        });

        Map<String, ServingReadiness.Check> checks = byName(ServingReadiness.check(adapter, localBase, 16));

        assertThat(checks.get("dora").reason()).contains("DoRA");
        assertThat(checks.get("bias").reason()).contains("\"all\"");
        assertThat(checks.get("target_modules").passed()).isFalse();
        assertThat(checks.get("target_modules").reason()).contains("embed_tokens is not a decoder linear of Qwen2ForCausalLM")
                .contains("q_proj", "down_proj");
        assertThat(checks.get("embedding_weights").reason()).contains("embed_tokens");
    }

    @Test
    void tokensTheBaseLacksAreAddedTokens() throws IOException {
        Path adapter = adapter("tokens", 4, List.of("q_proj"));
        Files.writeString(adapter.resolve("added_tokens.json"), "{\"<|tool|>\": " + TinyModels.VOCAB + "}");

        ServingReadiness.Check check = byName(ServingReadiness.check(adapter, localBase, 16)).get("added_tokens");

        assertThat(check.passed()).isFalse();
        assertThat(check.reason()).contains("adds 1 token", "<|tool|>", "vocabulary (" + TinyModels.VOCAB + ")");
    }

    @Test
    void aHubBaseMustBePinnedToACommitAndAnUnavailableBaseLeavesItsChecksUndone() throws IOException {
        Path adapter = adapter("hub", 4, List.of("q_proj"));
        ServingReadiness.Base branch = new ServingReadiness.Base("Qwen/Qwen2.5-0.5B", "main", "a".repeat(64), true, base, null);
        ServingReadiness.Base commit = new ServingReadiness.Base("Qwen/Qwen2.5-0.5B", COMMIT, "a".repeat(64), true, base, null);
        ServingReadiness.Base gone = new ServingReadiness.Base("Qwen/Qwen2.5-0.5B", COMMIT, null, true, null,
                "model is not among the hub models this deployment serves");

        assertThat(byName(ServingReadiness.check(adapter, branch, 16)).get("base_revision_pinned").reason())
                .contains("not pinned to a commit (revision 'main')");
        assertThat(ServingReadiness.check(adapter, commit, 16).passed()).isTrue();
        Map<String, ServingReadiness.Check> checks = byName(ServingReadiness.check(adapter, gone, 16));
        assertThat(checks.get("base_model").reason()).contains("not among the hub models");
        assertThat(checks.get("loadable").reason()).startsWith("not checked");
        assertThat(checks.get("target_modules").passed()).isFalse();
        assertThat(checks.get("rank").passed()).isTrue();
    }

    @Test
    void aPickleOnlyAdapterIsNotInPeftsServableLayout() throws IOException {
        Path adapter = adapter("pickle", 4, List.of("q_proj"));
        Files.move(adapter.resolve("adapter_model.safetensors"), adapter.resolve("adapter_model.bin"));

        ServingReadiness.Check layout = byName(ServingReadiness.check(adapter, localBase, 16)).get("peft_layout");

        assertThat(layout.passed()).isFalse();
        assertThat(layout.reason()).contains("adapter_model.safetensors is missing", "adapter_model.bin");
    }

    @Test
    void theServingRankIsTheSmallestValueVllmAccepts() {
        assertThat(ServingReadiness.servingRank(1)).isEqualTo(1);
        assertThat(ServingReadiness.servingRank(4)).isEqualTo(8);
        assertThat(ServingReadiness.servingRank(16)).isEqualTo(16);
        assertThat(ServingReadiness.servingRank(300)).isEqualTo(320);
        assertThat(ServingReadiness.servingRank(513)).isNull();
    }
}
