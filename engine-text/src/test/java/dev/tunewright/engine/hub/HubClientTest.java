package dev.tunewright.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {

    private static final String REPO = "tiny-org/tiny-model";

    @TempDir
    Path tmp;

    private FakeHub hub;
    private byte[] weights;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub(REPO);
        Path w = tmp.resolve("w.safetensors");
        float[] data = new float[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        new SafetensorsWriter().add("embed", DType.F32, new long[] {64, 64}, data).write(w);
        weights = Files.readAllBytes(w);
        hub.files.put("config.json", new FakeHub.File("{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8), false));
        hub.files.put("model.safetensors", new FakeHub.File(weights, true));
        hub.files.put("tokenizer_config.json", new FakeHub.File("{}".getBytes(StandardCharsets.UTF_8), false));
        hub.files.put("README.md", new FakeHub.File("readme".getBytes(StandardCharsets.UTF_8), false));
        hub.extraSiblings.add("pytorch_model.bin");
        hub.extraSiblings.add("onnx/model.json");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubClient client(Optional<String> token) {
        HubSettings s = new HubSettings(hub.endpoint(), token, tmp.resolve("cache"), false, 3);
        return new HubClient(s, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), m -> { });
    }

    @Test
    void downloadsIntoStandardCacheLayoutAndOpensAsModelFolder() throws Exception {
        Path snap = client(Optional.empty()).download(REPO, "main");
        Path repoDir = tmp.resolve("cache/models--tiny-org--tiny-model");
        assertThat(snap).isEqualTo(repoDir.resolve("snapshots").resolve(FakeHub.COMMIT));
        assertThat(Files.readString(repoDir.resolve("refs/main"))).isEqualTo(FakeHub.COMMIT);
        assertThat(Files.isSymbolicLink(snap.resolve("model.safetensors"))).isTrue();
        assertThat(Files.readSymbolicLink(snap.resolve("model.safetensors")).toString())
                .isEqualTo("../../blobs/" + FakeHub.sha256(weights));
        assertThat(snap.resolve("README.md")).doesNotExist();
        assertThat(snap.resolve("pytorch_model.bin")).doesNotExist();
        assertThat(hub.requests).noneMatch(r -> r.contains("onnx") || r.contains(".bin"));
        try (ModelFolder f = ModelFolder.open(snap)) {
            assertThat(f.weights().readFloats("embed")[3]).isEqualTo(1.5f);
        }
        int before = hub.requests.size();
        assertThat(client(Optional.empty()).download(REPO, "main")).isEqualTo(snap);
        assertThat(hub.requests.size() - before).as("cache hit fetches only the listing").isEqualTo(1);
    }

    @Test
    void resumesAfterConnectionBreaksMidFile() throws Exception {
        hub.breaksLeft.set(1);
        hub.files.remove("config.json");
        hub.files.remove("tokenizer_config.json");
        Path snap = client(Optional.empty()).download(REPO, "main");
        assertThat(Files.readAllBytes(snap.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.ranges).hasSize(1);
        assertThat(hub.ranges.get(0)).startsWith("bytes=").doesNotStartWith("bytes=0-");
    }

    @Test
    void resumesFromAnIncompleteFileOfAnEarlierRun() throws Exception {
        Path blobs = tmp.resolve("cache/models--tiny-org--tiny-model/blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(FakeHub.sha256(weights) + ".incomplete"), java.util.Arrays.copyOf(weights, 1000));
        Path snap = client(Optional.empty()).download(REPO, "main");
        assertThat(Files.readAllBytes(snap.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.ranges).contains("bytes=1000-");
        assertThat(blobs.resolve(FakeHub.sha256(weights) + ".incomplete")).doesNotExist();
    }

    @Test
    void failsAfterTooManyBrokenConnectionsAndKeepsPartialFile() throws Exception {
        hub.breaksLeft.set(100);
        assertThatThrownBy(() -> client(Optional.empty()).download(REPO, "main"))
                .isInstanceOf(HubException.class).hasMessageContaining("failed after 3 attempts");
        assertThat(hub.ranges).isNotEmpty();
    }

    @Test
    void concurrentDownloadsOfTheSameModelAgree() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Path>>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> client(Optional.empty()).download(REPO, "main")));
            }
            for (var f : futures) {
                assertThat(Files.readAllBytes(f.get().resolve("model.safetensors"))).isEqualTo(weights);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hashMismatchIsRejectedAndDiscarded() throws Exception {
        hub.listedShaOverride = "f".repeat(64);
        assertThatThrownBy(() -> client(Optional.empty()).download(REPO, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("sha256 mismatch");
        Path blobs = tmp.resolve("cache/models--tiny-org--tiny-model/blobs");
        assertThat(blobs.resolve("f".repeat(64))).doesNotExist();
        assertThat(blobs.resolve("f".repeat(64) + ".incomplete")).doesNotExist();
        assertThat(tmp.resolve("cache/models--tiny-org--tiny-model/snapshots/" + FakeHub.COMMIT + "/model.safetensors"))
                .doesNotExist();
    }

    @Test
    void sizeMismatchIsRejected() throws Exception {
        hub.listedSizeOverride = (long) weights.length + 10;
        assertThatThrownBy(() -> client(Optional.empty()).download(REPO, "main"))
                .isInstanceOf(HubException.class).hasMessageContaining("size mismatch");
    }

    @Test
    void unauthorizedWithoutTokenSaysToSetHfToken() throws Exception {
        hub.requiredToken = "hf_secret";
        assertThatThrownBy(() -> client(Optional.empty()).download(REPO, "main"))
                .isInstanceOf(HubException.class).hasMessageContaining("401").hasMessageContaining("HF_TOKEN");
        assertThat(client(Optional.of("hf_secret")).download(REPO, "main").resolve("config.json")).exists();
    }

    @Test
    void followsRedirectsWithoutSendingTheTokenToAnotherHost() throws Exception {
        hub.requiredToken = "hf_secret";
        hub.redirectLfsToOtherHost = true;
        Path snap = client(Optional.of("hf_secret")).download(REPO, "main");
        assertThat(Files.readAllBytes(snap.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.cdnAuthorization).isNotEmpty().containsOnly("null");
    }

    @Test
    void pickleOnlyRepositoryIsRefusedBeforeDownloading() throws Exception {
        hub.files.remove("model.safetensors");
        assertThatThrownBy(() -> client(Optional.empty()).download(REPO, "main"))
                .isInstanceOf(HubException.class).hasMessageContaining("pytorch_model.bin").hasMessageContaining("pickle");
        assertThat(hub.requests).noneMatch(r -> r.contains("/resolve/"));
    }

    @Test
    void offlineModeUsesOnlyTheCache() throws Exception {
        Path snap = client(Optional.empty()).download(REPO, "main");
        hub.close();
        HubSettings offline = new HubSettings(hub.endpoint(), Optional.empty(), tmp.resolve("cache"), true, 3);
        HubClient c = new HubClient(offline);
        assertThat(c.download(REPO, "main")).isEqualTo(snap);
        assertThat(c.download(REPO, FakeHub.COMMIT)).isEqualTo(snap);
        assertThatThrownBy(() -> c.download(REPO, "v2")).hasMessageContaining("HF_HUB_OFFLINE");
        assertThat(ModelSource.resolve(REPO, c)).isEqualTo(snap);
    }

    @Test
    void unreachableHubFallsBackToTheCache() throws Exception {
        HubClient online = client(Optional.empty());
        Path snap = online.download(REPO, "main");
        hub.close();
        assertThat(online.download(REPO, "main")).isEqualTo(snap);
        assertThatThrownBy(() -> online.download(REPO, "v9")).isInstanceOf(HubException.class)
                .hasMessageContaining("cannot reach").hasMessageContaining("not cached");
    }

    @Test
    void modelSourceUsesExistingFolderAndRejectsNonsense() throws Exception {
        assertThat(ModelSource.resolve(tmp.toString(), client(Optional.empty()))).isEqualTo(tmp);
        assertThatThrownBy(() -> ModelSource.resolve("no such thing", client(Optional.empty())))
                .hasMessageContaining("neither an existing folder nor a hub model id");
        assertThat(ModelSource.resolve(REPO + "@main", client(Optional.empty())).resolve("config.json")).exists();
    }

    @Test
    void settingsFromEnvironment() {
        Path home = Path.of("/home/u");
        HubSettings d = HubSettings.fromEnvironment(Map.of(), home);
        assertThat(d.endpoint().toString()).isEqualTo("https://huggingface.co");
        assertThat(d.cacheDir()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(d.offline()).isFalse();
        assertThat(d.token()).isEmpty();
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/hf"), home).cacheDir()).isEqualTo(Path.of("/hf/hub"));
        HubSettings all = HubSettings.fromEnvironment(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/c", "HF_ENDPOINT",
                "http://mirror:8080/", "HF_TOKEN", "t", "HF_HUB_OFFLINE", "1"), home);
        assertThat(all.cacheDir()).isEqualTo(Path.of("/c"));
        assertThat(all.endpoint().toString()).isEqualTo("http://mirror:8080");
        assertThat(all.token()).contains("t");
        assertThat(all.offline()).isTrue();
        assertThat(all.toString()).doesNotContain("=t,");
    }

    @Test
    void tokenFileOfHuggingfaceCliLogin() throws Exception {
        Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(tmp.resolve("hf/token"), "hf_saved\n");
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp).token())
                .contains("hf_saved");
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", tmp.resolve("hf").toString(), "HF_TOKEN", "env"), tmp)
                .token()).contains("env");
    }
}
