package dev.tunewright.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Downloads a model repository at a pinned revision into the standard Hugging Face cache and
 * returns its snapshot folder. Only data files are fetched (safetensors, JSON, Jinja templates and
 * tokenizer vocabularies, top-level only); repositories that hold only pickle checkpoints are
 * refused before anything is downloaded. Nothing fetched is ever executed.
 */
public final class HubClient {

    static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
    private static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HubSettings settings;
    private final BlobDownloader downloader;
    private final Consumer<String> progress;

    public HubClient(HubSettings settings) {
        this(settings, HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), msg -> { });
    }

    public HubClient(HubSettings settings, HttpClient http, Consumer<String> progress) {
        this.settings = settings;
        this.downloader = new BlobDownloader(http, settings);
        this.progress = progress;
    }

    public HubSettings settings() {
        return settings;
    }

    /** The snapshot folder of {@code repoId} at {@code revision} (branch, tag or commit). */
    public Path download(String repoId, String revision) throws IOException {
        checkIds(repoId, revision);
        HubCache cache = new HubCache(settings.cacheDir(), repoId);
        if (settings.offline()) {
            return cache.cachedSnapshot(revision).orElseThrow(() -> new HubException(repoId + "@" + revision
                    + " is not in the cache " + settings.cacheDir() + " and HF_HUB_OFFLINE is set"));
        }
        JsonNode info;
        try {
            info = repoInfo(repoId, revision);
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            // Like huggingface_hub: an unreachable hub is not an error when the revision is cached.
            Optional<Path> cached = cache.cachedSnapshot(revision);
            if (cached.isPresent()) {
                progress.accept("hub unreachable (" + e.getMessage() + "); using cached " + repoId + "@" + revision);
                return cached.get();
            }
            throw new HubException(repoId + "@" + revision + ": cannot reach " + settings.endpoint()
                    + " and the revision is not cached: " + e, e);
        }
        String commit = info.path("sha").asText("");
        if (!HubCache.COMMIT.matcher(commit).matches()) {
            throw new HubException(repoId + "@" + revision + ": hub answered without a commit sha");
        }
        List<RepoFile> files = selectFiles(repoId, info);
        for (RepoFile f : files) {
            String hash = f.sha256().or(f::blobId).orElse(null);
            URI url = URI.create(settings.endpoint() + "/" + repoId + "/resolve/" + commit + "/" + encode(f.name()));
            if (hash == null) {
                hash = etag(repoId, url, f);
            }
            if (cache.linked(commit, f.name(), hash)) {
                continue;
            }
            progress.accept("downloading " + repoId + "/" + f.name()
                    + (f.size().isPresent() ? " (" + f.size().getAsLong() + " bytes)" : ""));
            downloader.fetch(cache, repoId, url, f, hash);
            cache.link(commit, f.name(), hash);
        }
        cache.writeRef(revision, commit);
        return cache.snapshot(commit);
    }

    /** The files worth fetching; fails for pickle-only repositories. */
    static List<RepoFile> selectFiles(String repoId, JsonNode info) throws HubException {
        List<RepoFile> selected = new ArrayList<>();
        List<String> pickles = new ArrayList<>();
        boolean safetensors = false;
        for (JsonNode s : info.path("siblings")) {
            String name = s.path("rfilename").asText("");
            String lower = name.toLowerCase(Locale.ROOT);
            if (PICKLE_SUFFIXES.stream().anyMatch(lower::endsWith)) {
                pickles.add(name);
                continue;
            }
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".") || !wanted(lower)) {
                continue;
            }
            safetensors |= lower.endsWith(".safetensors");
            JsonNode lfs = s.path("lfs");
            OptionalLong size = lfs.path("size").isIntegralNumber() ? OptionalLong.of(lfs.path("size").longValue())
                    : s.path("size").isIntegralNumber() ? OptionalLong.of(s.path("size").longValue()) : OptionalLong.empty();
            Optional<String> sha = lfs.path("sha256").isTextual() ? Optional.of(lfs.path("sha256").textValue()) : Optional.empty();
            Optional<String> blobId = s.path("blobId").isTextual() ? Optional.of(s.path("blobId").textValue()) : Optional.empty();
            if (sha.isPresent() && !sha.get().matches("[0-9a-fA-F]{64}")) {
                throw new HubException(repoId + ": " + name + " has a malformed sha256 '" + sha.get() + "'");
            }
            if (blobId.isPresent() && !blobId.get().matches("[0-9a-fA-F]{40}")) {
                blobId = Optional.empty();
            }
            selected.add(new RepoFile(name, size, sha, blobId));
        }
        if (!safetensors && !pickles.isEmpty()) {
            throw new HubException(repoId + ": only pickle checkpoints (" + String.join(", ", pickles) + "), which are "
                    + "refused because loading pickle can execute arbitrary code; use a repository with safetensors weights");
        }
        return selected;
    }

    private static boolean wanted(String lowerName) {
        return lowerName.endsWith(".safetensors") || lowerName.endsWith(".json") || lowerName.endsWith(".jinja")
                || lowerName.equals("tokenizer.model") || lowerName.equals("merges.txt") || lowerName.equals("vocab.txt");
    }

    private JsonNode repoInfo(String repoId, String revision) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + repoId + "/revision/" + encode(revision) + "?blobs=true");
        HttpResponse<InputStream> resp = downloader.get(uri, Optional.empty());
        try (InputStream body = resp.body()) {
            checkStatus(repoId, "revision " + revision, resp.statusCode());
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new HubException(repoId + "@" + revision + ": hub API answered with invalid JSON: " + e.getMessage(), e);
            }
        }
    }

    /** Regular (non-LFS) files without a listed blob id are cached under their ETag, as the hub client does. */
    private String etag(String repoId, URI url, RepoFile f) throws IOException {
        HttpResponse<InputStream> resp = downloader.get(url, Optional.of("bytes=0-0"));
        try (InputStream body = resp.body()) {
            checkStatus(repoId, f.name(), resp.statusCode());
            String tag = resp.headers().firstValue("X-Linked-Etag").or(() -> resp.headers().firstValue("ETag"))
                    .orElseThrow(() -> new HubException(repoId + ": no ETag for " + f.name()));
            String clean = tag.replaceFirst("^W/", "").replace("\"", "");
            if (!clean.matches("[0-9A-Za-z_-]{1,128}")) {
                throw new HubException(repoId + ": unusable ETag for " + f.name());
            }
            return clean;
        }
    }

    static void checkStatus(String repoId, String what, int code) throws HubException {
        if (code == 200 || code == 206) {
            return;
        }
        String hint = switch (code) {
            case 401 -> "401 Unauthorized: the repository is gated or private; set HF_TOKEN to a token with access";
            case 403 -> "403 Forbidden: the token has no access (accept the model's licence on the hub first)";
            case 404 -> "404 Not Found: no such repository, revision or file";
            default -> "HTTP " + code;
        };
        throw new HubException(repoId + ": " + what + ": " + hint);
    }

    private static void checkIds(String repoId, String revision) throws HubException {
        if (!REPO_ID.matcher(repoId).matches() || repoId.contains("..")) {
            throw new HubException("'" + repoId + "' is not a hub model id (expected org/name)");
        }
        if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new HubException("'" + revision + "' is not a valid revision");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
