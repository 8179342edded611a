package dev.tunewright.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.trainer.config.TrainerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.junit.jupiter.api.Test;

/** Every field of a create request is checked where it is read, and a bad one is named by its full path. */
class JobRequestReaderTest {

    /** The defaults, with Quarkus's duration syntax ({@code 60s}) as the service reads them. */
    static final TrainerConfig CONFIG = new SmallRyeConfigBuilder().withMapping(TrainerConfig.class)
            .withConverter(java.time.Duration.class, 100, DurationConverter::parseDuration).build()
            .getConfigMapping(TrainerConfig.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobRequestReader reader = new JobRequestReader(CONFIG);

    @Test
    void readsOpenAisShapeAndOurLoraBlock() {
        JobRequest request = read("""
                {"model": "Qwen/Qwen2.5-0.5B-Instruct@main", "training_file": "file-abc", "validation_file": "file-def",
                 "seed": 3, "suffix": "tickets-v2", "metadata": {"team": "support"},
                 "method": {"type": "supervised", "supervised": {"hyperparameters":
                    {"n_epochs": 2, "batch_size": "auto", "learning_rate_multiplier": 0.5}}},
                 "lora": {"r": 8, "alpha": 32, "target_modules": ["q_proj", "v_proj"], "quantization": "NF4",
                          "scheduler": "cosine", "warmup_ratio": 0.1, "packing": true, "save_every": "auto"},
                 "evaluation": {"task_type": "classification", "margin": 0.02, "checkpoints": true},
                 "integrations": []}""");
        assertThat(request.hyperparameters()).isEqualTo(new Hyperparameters(2, null, 0.5));
        assertThat(request.lora().r()).isEqualTo(8);
        assertThat(request.lora().quantization()).isEqualTo("nf4");
        assertThat(request.lora().targetModules()).containsExactly("q_proj", "v_proj");
        assertThat(request.lora().saveEvery()).isNull();
        assertThat(request.metadata()).containsEntry("team", "support");
        assertThat(request.seed()).isEqualTo(3L);
        assertThat(request.evaluation().asMap()).containsExactly(java.util.Map.entry("task_type", "classification"),
                java.util.Map.entry("margin", 0.02));
        assertThat(request.evaluation().everyCheckpoint()).isTrue();
    }

    @Test
    void acceptsTheDeprecatedTopLevelHyperparametersButNotBothPlaces() {
        assertThat(read("{\"model\":\"m\",\"training_file\":\"ds-1\",\"hyperparameters\":{\"n_epochs\":4}}")
                .hyperparameters().nEpochs()).isEqualTo(4);
        assertRejected("{\"model\":\"m\",\"training_file\":\"ds-1\",\"hyperparameters\":{\"n_epochs\":4},"
                + "\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":{\"n_epochs\":4}}}}",
                "hyperparameters");
    }

    @Test
    void namesTheFieldOfEveryBadValue() {
        String base = "\"model\":\"m\",\"training_file\":\"file-1\"";
        assertRejected("{\"training_file\":\"file-1\"}", "model");
        assertRejected("{\"model\":\"m\"}", "training_file");
        assertRejected("{\"model\":\"m\",\"training_file\":\"../etc\"}", "training_file");
        assertRejected("{" + base + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"n_epochs\":0}}}}", "method.supervised.hyperparameters.n_epochs");
        assertRejected("{" + base + ",\"method\":{\"type\":\"supervised\",\"supervised\":{\"hyperparameters\":"
                + "{\"batch_size\":\"big\"}}}}", "method.supervised.hyperparameters.batch_size");
        assertRejected("{" + base + ",\"hyperparameters\":{\"learning_rate_multiplier\":0}}",
                "hyperparameters.learning_rate_multiplier");
        assertRejected("{" + base + ",\"hyperparameters\":{\"n_epochs\":51}}", "hyperparameters.n_epochs");
        assertRejected("{" + base + ",\"method\":{\"type\":\"dpo\"}}", "method.type");
        assertRejected("{" + base + ",\"method\":{\"type\":\"reinforcement\"}}", "method.type");
        assertRejected("{" + base + ",\"lora\":{\"r\":0}}", "lora.r");
        assertRejected("{" + base + ",\"lora\":{\"dropout\":1.5}}", "lora.dropout");
        assertRejected("{" + base + ",\"lora\":{\"quantization\":\"int8\"}}", "lora.quantization");
        assertRejected("{" + base + ",\"lora\":{\"learning_rte\":0.1}}", "lora.learning_rte");
        assertRejected("{" + base + ",\"lora\":{\"target_modules\":[\"all-linear\",\"q_proj\"]}}", "lora.target_modules");
        assertRejected("{" + base + ",\"hyperparameters\":{\"batch_size\":8},\"lora\":{\"gradient_accumulation_steps\":3}}",
                "lora.gradient_accumulation_steps");
        assertRejected("{" + base + ",\"suffix\":\"" + "x".repeat(65) + "\"}", "suffix");
        assertRejected("{" + base + ",\"suffix\":\"a:b\"}", "suffix");
        assertRejected("{" + base + ",\"seed\":-1}", "seed");
        assertRejected("{" + base + ",\"integrations\":[{\"type\":\"wandb\"}]}", "integrations");
        assertRejected("{" + base + ",\"validation_file\":\"ds-2\"}", "validation_file");
        assertRejected("{" + base + ",\"temperature\":1}", "temperature");
        assertRejected("{" + base + ",\"evaluation\":{\"task_type\":\"poetry\"}}", "evaluation.task_type");
        assertRejected("{" + base + ",\"evaluation\":{\"margin\":2}}", "evaluation.margin");
    }

    @Test
    void limitsMetadataAsOpenAiDoes() {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            pairs.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        String base = "\"model\":\"m\",\"training_file\":\"file-1\"";
        assertRejected("{" + base + ",\"metadata\":{" + pairs + "}}", "metadata");
        assertRejected("{" + base + ",\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}", "metadata");
        assertRejected("{" + base + ",\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}", "metadata");
        assertRejected("{" + base + ",\"metadata\":{\"k\":1}}", "metadata");
        assertThat(read("{" + base + ",\"metadata\":{\"" + "k".repeat(64) + "\":\"" + "v".repeat(512) + "\"}}")
                .metadata()).hasSize(1);
    }

    private JobRequest read(String json) {
        return reader.read(parse(json));
    }

    private void assertRejected(String json, String param) {
        assertThatThrownBy(() -> reader.read(parse(json)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
                    assertThat(e.param()).as(e.getMessage()).isEqualTo(param);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
