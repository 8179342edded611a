package dev.tunewright.common.models;

import dev.tunewright.common.rest.ApiException;
import dev.tunewright.engine.hub.HubClient;
import dev.tunewright.engine.hub.HubSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one place that decides whether a request may name a model and where its folder is. {@link #check} runs in the
 * request (fast, no download) and answers a 400 that names the request field and lists what is allowed, never a
 * server path; {@link #folder} fetches a hub model into the standard Hugging Face cache (honouring {@code HF_TOKEN},
 * {@code HF_ENDPOINT} and {@code HF_HUB_OFFLINE}) where a worker needs the weights.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_SPEC = 512;

    private final ModelsConfig config;
    private final Path installed;

    public ModelCatalog(ModelsConfig config) {
        this.config = config;
        this.installed = Path.of(config.dir()).toAbsolutePath().normalize();
    }

    /**
     * The model a request names in {@code param}: an installed model's name, a hub id ({@code org/name}) or, where
     * the deployment allows it, an absolute folder; each optionally {@code @revision} (not for folders).
     *
     * @throws ApiException 400 naming {@code param} when the model is malformed or not allowed here
     */
    public ModelRef check(String spec, String param) {
        if (spec == null || spec.isBlank()) {
            throw ApiException.badRequest("missing_field", param, param + " is required");
        }
        if (spec.length() > MAX_SPEC || spec.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw unknown(param, "is not a model name");
        }
        if (spec.startsWith("/")) {
            Path folder = Path.of(spec).normalize();
            if (!config.allowLocalPaths()) {
                throw unknown(param, "is a server path; this deployment does not take model folders");
            }
            if (!Files.isRegularFile(folder.resolve("config.json"))) {
                throw unknown(param, "is not a model folder (no config.json there)");
            }
            return new ModelRef(ModelRef.Source.LOCAL_PATH, folder.toString(), null);
        }
        int at = spec.lastIndexOf('@');
        String id = at > 0 ? spec.substring(0, at) : spec;
        String revision = at > 0 ? spec.substring(at + 1) : null;
        if (revision != null && !REVISION.matcher(revision).matches()) {
            throw unknown(param, "has an invalid revision '" + revision + "'");
        }
        if (NAME.matcher(id).matches() && !id.contains("..")) {
            Path folder = installed.resolve(id).normalize();
            if (folder.startsWith(installed) && Files.isDirectory(folder)) {
                return new ModelRef(ModelRef.Source.INSTALLED, id, revision);
            }
            throw unknown(param, "is not an installed model");
        }
        if (HUB_ID.matcher(id).matches() && !id.contains("..")) {
            if (config.allowed().contains("*") || config.allowed().contains(id) || config.allowed().contains(spec)) {
                return new ModelRef(ModelRef.Source.HUB, id, revision);
            }
            throw unknown(param, "is not among the hub models this deployment serves");
        }
        throw unknown(param, "is neither an installed model nor a hub id (org/name[@revision])");
    }

    /**
     * The folder of a checked model, downloading a hub model into the cache when it is not there (the files a
     * revision already has are not fetched again). Runs where the weights are needed: a worker, not a request.
     *
     * @throws IOException when the hub cannot be reached and the revision is not cached, or the download fails
     */
    public Path folder(ModelRef model) throws IOException {
        return switch (model.source()) {
            case LOCAL_PATH -> Path.of(model.id());
            case INSTALLED -> installed.resolve(model.id());
            case HUB -> new HubClient(HubSettings.fromEnvironment()).download(model.id(),
                    model.revision() == null ? "main" : model.revision());
        };
    }

    /** The commit a hub snapshot folder belongs to (its folder name), to pin a revision in lineage; else empty. */
    public static Optional<String> commitOf(ModelRef model, Path folder) {
        String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
        return model.source() == ModelRef.Source.HUB && name.matches("[0-9a-f]{40}") ? Optional.of(name) : Optional.empty();
    }

    /**
     * What a team may name, as {@code GET /v1/models} lists it: the installed models, then the hub ids the
     * deployment lists ({@code *} lists nothing by itself).
     */
    public List<String> listed() {
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(installed)) {
            try (Stream<Path> folders = Files.list(installed)) {
                folders.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(name -> NAME.matcher(name).matches()).sorted().forEach(ids::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list installed models: " + e.getMessage(), e);
            }
        }
        config.allowed().stream().filter(id -> !id.equals("*")).forEach(ids::add);
        return ids;
    }

    private ApiException unknown(String param, String why) {
        List<String> listed = listed();
        String allowed = (listed.isEmpty() ? "" : "; allowed: " + String.join(", ", listed.subList(0, Math.min(20, listed.size())))
                + (listed.size() > 20 ? ", ..." : ""))
                + (config.allowed().contains("*") ? "; any Hugging Face hub id (org/name[@revision])" : "")
                + (config.allowLocalPaths() ? "; an absolute model folder on the server" : "");
        return ApiException.badRequest("model_not_found", param, param + " " + why + allowed);
    }
}
