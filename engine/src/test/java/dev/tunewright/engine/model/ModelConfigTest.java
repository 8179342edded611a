package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode minimal(String architecture) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(architecture);
        c.put("hidden_size", 64).put("intermediate_size", 96).put("num_hidden_layers", 4)
                .put("num_attention_heads", 4).put("vocab_size", 300);
        return c;
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void absentKeysTakeTheFamilyDefaultsOfTransformers() {
        ModelConfig llama = ModelConfig.fromJson(minimal("LlamaForCausalLM"));
        assertThat(llama.numKeyValueHeads()).isEqualTo(4);
        assertThat(llama.headDim()).isEqualTo(16);
        assertThat(llama.rmsNormEps()).isEqualTo(1e-6);
        assertThat(llama.ropeTheta()).isEqualTo(10000.0);
        assertThat(llama.tieWordEmbeddings()).isFalse();
        assertThat(llama.hiddenActivation()).isEqualTo(Activation.SILU);
        assertThat(llama.slidingLayers()).containsOnly(false);

        ModelConfig phi3 = ModelConfig.fromJson(minimal("Phi3ForCausalLM"));
        assertThat(phi3.rmsNormEps()).isEqualTo(1e-5);

        ModelConfig gemma = ModelConfig.fromJson(minimal("Gemma2ForCausalLM"));
        assertThat(gemma.headDim()).isEqualTo(256);
        assertThat(gemma.tieWordEmbeddings()).isTrue();
        assertThat(gemma.hiddenActivation()).isEqualTo(Activation.GELU_TANH);
        assertThat(gemma.attnLogitSoftcapping()).isEqualTo(50.0);
        assertThat(gemma.finalLogitSoftcapping()).isEqualTo(30.0);
        assertThat(gemma.attentionScale()).isEqualTo(1 / 16.0);
        // sliding window on layers 0 and 2 only
        assertThat(gemma.slidingWindowFor(0)).isEqualTo(4096);
        assertThat(gemma.slidingWindowFor(1)).isNull();
        assertThat(gemma.slidingWindowFor(2)).isEqualTo(4096);
    }

    @Test
    void gemmaLayerTypesAndExplicitNullsAreHonoured() {
        ObjectNode c = minimal("Gemma2ForCausalLM");
        c.put("sliding_window", 8);
        c.putNull("attn_logit_softcapping");
        c.putArray("layer_types").add("full_attention").add("sliding_attention").add("full_attention").add("full_attention");
        ModelConfig config = ModelConfig.fromJson(c);
        assertThat(config.attnLogitSoftcapping()).isNull();
        assertThat(config.slidingWindowFor(0)).isNull();
        assertThat(config.slidingWindowFor(1)).isEqualTo(8);
    }

    @Test
    void eosMayBeAListAndDtypeIsKept() {
        ObjectNode c = minimal("LlamaForCausalLM");
        c.putArray("eos_token_id").add(128001).add(128009);
        c.put("bos_token_id", 128000).put("torch_dtype", "bfloat16");
        ModelConfig config = ModelConfig.fromJson(c);
        assertThat(config.eosTokenIds()).containsExactly(128001, 128009);
        assertThat(config.bosTokenId()).isEqualTo(128000);
        assertThat(config.torchDtype()).isEqualTo("bfloat16");
    }

    @Test
    void longRopeAttentionFactorComesFromTheContextRatio() throws IOException {
        ObjectNode c = minimal("Phi3ForCausalLM");
        c.put("max_position_embeddings", 131072).put("original_max_position_embeddings", 4096);
        ObjectNode rope = (ObjectNode) json("{\"type\":\"longrope\",\"short_factor\":[1,1,1,1,1,1,1,1],"
                + "\"long_factor\":[2,2,2,2,2,2,2,2]}");
        c.set("rope_scaling", rope);
        RopeScaling.LongRope longRope = (RopeScaling.LongRope) ModelConfig.fromJson(c).ropeScaling();
        assertThat(longRope.attentionFactor()).isCloseTo(Math.sqrt(1 + Math.log(32) / Math.log(4096)), within(1e-12));
        assertThat(longRope.originalMaxPositionEmbeddings()).isEqualTo(4096);
        // early Phi-3 configs call it "su", which HF's Phi3Config renames
        rope.put("type", "su");
        assertThat(ModelConfig.fromJson(c).ropeScaling()).isEqualTo(longRope);
    }

    @Test
    void unsupportedArchitecturesAndOptionsAreRefusedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> ModelConfig.fromJson(minimal("MistralForCausalLM")))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'architectures'").hasMessageContaining("MistralForCausalLM")
                .hasMessageContaining("LlamaForCausalLM");

        ObjectNode yarn = minimal("Qwen2ForCausalLM");
        yarn.set("rope_scaling", json("{\"rope_type\":\"yarn\",\"factor\":4.0}"));
        assertThatThrownBy(() -> ModelConfig.fromJson(yarn))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("rope_scaling.rope_type").hasMessageContaining("yarn");

        ObjectNode act = minimal("LlamaForCausalLM");
        act.put("hidden_act", "relu");
        assertThatThrownBy(() -> ModelConfig.fromJson(act)).hasMessageContaining("'hidden_act'").hasMessageContaining("relu");

        ObjectNode window = minimal("Qwen2ForCausalLM");
        window.put("use_sliding_window", true);
        assertThatThrownBy(() -> ModelConfig.fromJson(window)).hasMessageContaining("'use_sliding_window'");

        ObjectNode missing = minimal("LlamaForCausalLM");
        missing.remove("hidden_size");
        assertThatThrownBy(() -> ModelConfig.fromJson(missing)).hasMessageContaining("'hidden_size'");

        ObjectNode llama3 = minimal("LlamaForCausalLM");
        llama3.set("rope_scaling", json("{\"rope_type\":\"llama3\",\"factor\":8.0}"));
        assertThatThrownBy(() -> ModelConfig.fromJson(llama3)).hasMessageContaining("rope_scaling.low_freq_factor");

        ObjectNode gqa = minimal("LlamaForCausalLM");
        gqa.put("num_key_value_heads", 3);
        assertThatThrownBy(() -> ModelConfig.fromJson(gqa)).hasMessageContaining("'num_key_value_heads'");
    }

    @Test
    void aCheckpointThatDisagreesWithItsConfigFailsAtLoadNamingTheTensor(@TempDir Path dir) throws IOException {
        TinyModels.llama(dir);
        Path weights = dir.resolve("model.safetensors");
        // every tensor copied, except q_proj of layer 1 transposed
        SafetensorsWriter rewritten = new SafetensorsWriter();
        try (SafetensorsFile original = SafetensorsFile.open(weights)) {
            for (TensorInfo t : original.tensors().values()) {
                long[] shape = t.name().equals("model.layers.1.self_attn.q_proj.weight")
                        ? new long[] {t.shape()[1], t.shape()[0]} : t.shape();
                rewritten.add(t.name(), t.dtype(), shape, original.readFloats(t.name()));
            }
        }
        rewritten.write(weights);
        assertThatThrownBy(() -> TinyModels.load(dir))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("model.layers.1.self_attn.q_proj.weight").hasMessageContaining("[64, 128]")
                .hasMessageContaining("[128, 64]");

        new SafetensorsWriter()
                .add("model.embed_tokens.weight", DType.BF16, new long[] {300, 64}, new float[300 * 64])
                .write(weights);
        assertThatThrownBy(() -> TinyModels.load(dir))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'model.layers.0.input_layernorm.weight' is missing");
    }
}
