package dev.tunewright.common.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.rest.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

    @TempDir
    Path dir;

    @Test
    void namesInstalledModelsHubIdsAndWhereAllowedFolders() throws IOException {
        Path installed = Files.createDirectories(dir.resolve("models/tiny-llama"));
        Path folder = Files.createDirectories(dir.resolve("elsewhere/qwen"));
        Files.writeString(folder.resolve("config.json"), "{}");
        ModelCatalog open = new ModelCatalog(config(List.of("*"), true));

        assertThat(open.check("tiny-llama", "model")).isEqualTo(new ModelRef(ModelRef.Source.INSTALLED, "tiny-llama", null));
        assertThat(open.folder(open.check("tiny-llama", "model"))).isEqualTo(installed);
        ModelRef hub = open.check("Qwen/Qwen2.5-0.5B-Instruct@7ae5576", "model");
        assertThat(hub).isEqualTo(new ModelRef(ModelRef.Source.HUB, "Qwen/Qwen2.5-0.5B-Instruct", "7ae5576"));
        assertThat(hub.shortName()).isEqualTo("Qwen2.5-0.5B-Instruct");
        assertThat(hub.spec()).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct@7ae5576");
        ModelRef local = open.check(folder.toString(), "model");
        assertThat(local.source()).isEqualTo(ModelRef.Source.LOCAL_PATH);
        assertThat(open.folder(local)).isEqualTo(folder);
        assertThat(local.shortName()).isEqualTo("qwen");
    }

    @Test
    void refusesWhatThePolicyDoesNotAllowNamingTheFieldAndWhatIsAllowedButNoPath() throws IOException {
        Files.createDirectories(dir.resolve("models/tiny-llama"));
        Path folder = Files.createDirectories(dir.resolve("elsewhere/qwen"));
        Files.writeString(folder.resolve("config.json"), "{}");
        ModelCatalog strict = new ModelCatalog(config(List.of("Qwen/Qwen2.5-0.5B-Instruct"), false));

        assertThat(strict.check("Qwen/Qwen2.5-0.5B-Instruct", "model").source()).isEqualTo(ModelRef.Source.HUB);
        assertThat(strict.listed()).containsExactly("tiny-llama", "Qwen/Qwen2.5-0.5B-Instruct");
        for (String bad : new String[] {"meta-llama/Llama-3.2-1B", folder.toString(), "../etc", "a/../b", "no-such-model",
                "x@../../y", "bad\u0000name", "org/name/extra"}) {
            assertThatThrownBy(() -> strict.check(bad, "model")).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo("model");
                        assertThat(e.getMessage()).contains("allowed: tiny-llama, Qwen/Qwen2.5-0.5B-Instruct")
                                .doesNotContain(dir.toString());
                    });
        }
        assertThatThrownBy(() -> strict.check(" ", "base_model")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.param()).isEqualTo("base_model"));
    }

    @Test
    void aFolderWithoutConfigIsNotAModel() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ModelCatalog open = new ModelCatalog(config(List.of("*"), true));
        assertThatThrownBy(() -> open.check(empty.toString(), "model")).isInstanceOf(ApiException.class)
                .hasMessageContaining("no config.json");
    }

    private ModelsConfig config(List<String> allowed, boolean localPaths) {
        Path models = dir.resolve("models");
        return new ModelsConfig() {
            @Override
            public String dir() {
                return models.toString();
            }

            @Override
            public List<String> allowed() {
                return allowed;
            }

            @Override
            public boolean allowLocalPaths() {
                return localPaths;
            }
        };
    }
}
