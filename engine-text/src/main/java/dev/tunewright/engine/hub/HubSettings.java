package dev.tunewright.engine.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the hub is and where its files are cached, read from the same environment variables as
 * the Python {@code huggingface_hub} client so both share one cache.
 */
public record HubSettings(URI endpoint, Optional<String> token, Path cacheDir, boolean offline, int maxAttempts) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    public HubSettings {
        String e = endpoint.toString();
        endpoint = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        token = token.filter(t -> !t.isBlank());
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * {@code HF_ENDPOINT}, {@code HF_TOKEN} (else the token file of {@code huggingface-cli login}:
     * {@code $HF_TOKEN_PATH} or {@code $HF_HOME/token}), {@code HF_HUB_OFFLINE}, and the cache in
     * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}.
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        URI endpoint = URI.create(nonBlank(env.get("HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT));
        Path cache = nonBlank(env.get("HF_HUB_CACHE")).map(Path::of)
                .or(() -> nonBlank(env.get("HF_HOME")).map(h -> Path.of(h).resolve("hub")))
                .orElse(home.resolve(".cache").resolve("huggingface").resolve("hub"));
        String offline = env.getOrDefault("HF_HUB_OFFLINE", "");
        boolean isOffline = offline.equals("1") || offline.equalsIgnoreCase("true") || offline.equalsIgnoreCase("yes")
                || offline.equalsIgnoreCase("on");
        Path hfHome = nonBlank(env.get("HF_HOME")).map(Path::of).orElse(home.resolve(".cache").resolve("huggingface"));
        Path tokenFile = nonBlank(env.get("HF_TOKEN_PATH")).map(Path::of).orElse(hfHome.resolve("token"));
        Optional<String> token = nonBlank(env.get("HF_TOKEN")).or(() -> readToken(tokenFile));
        return new HubSettings(endpoint, token, cache, isOffline, 3);
    }

    /** The token {@code huggingface-cli login} saved, so a logged-in machine needs no extra setup. */
    private static Optional<String> readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? nonBlank(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public HubSettings withCacheDir(Path dir) {
        return new HubSettings(endpoint, token, dir, offline, maxAttempts);
    }

    public HubSettings withOffline(boolean value) {
        return new HubSettings(endpoint, token, cacheDir, value, maxAttempts);
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "<set>" : "<none>")
                + ", cacheDir=" + cacheDir + ", offline=" + offline + "]";
    }
}
