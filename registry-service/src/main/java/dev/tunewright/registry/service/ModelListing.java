package dev.tunewright.registry.service;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelsConfig;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /v1/models} shows a team: the base models the deployment serves ({@link ModelCatalog#listed()},
 * owned by {@value #SYSTEM} as OpenAI's own models are) and the team's fine-tuned models by their {@code ft:} ids,
 * owned by the team.
 */
@ApplicationScoped
public class ModelListing {

    static final String SYSTEM = "system";

    /** OpenAI's model object; {@code created} in Unix seconds (0 for a hub model, whose upload time is not known here). */
    public record Model(String id, String object, long created, String ownedBy) {
    }

    private final ModelCatalog catalog;
    private final AdapterVersionRepository versions;
    private final Path installed;

    public ModelListing(ModelCatalog catalog, AdapterVersionRepository versions, ModelsConfig models) {
        this.catalog = catalog;
        this.versions = versions;
        this.installed = Path.of(models.dir()).toAbsolutePath().normalize();
    }

    public List<Model> list(TeamIdentity team) {
        List<Model> out = new ArrayList<>();
        catalog.listed().forEach(id -> out.add(base(id)));
        versions.withModelIds(team.teamId()).forEach(v -> out.add(
                new Model(v.fineTunedModel, "model", v.createdAt.getEpochSecond(), team.teamName())));
        return out;
    }

    /** A fine-tuned model of the team, or a base model the deployment serves. */
    public Optional<Model> find(TeamIdentity team, String id) {
        if (id.startsWith("ft:")) {
            return versions.byFineTunedModel(team.teamId(), id)
                    .map(v -> new Model(v.fineTunedModel, "model", v.createdAt.getEpochSecond(), team.teamName()));
        }
        try {
            return Optional.of(base(catalog.check(id, "model").spec()));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    private Model base(String id) {
        long created = 0;
        Path folder = installed.resolve(id).normalize();
        if (folder.startsWith(installed) && Files.isDirectory(folder)) {
            try {
                created = Files.getLastModifiedTime(folder).toInstant().getEpochSecond();
            } catch (IOException e) {
                created = 0;
            }
        }
        return new Model(id, "model", created, SYSTEM);
    }
}
