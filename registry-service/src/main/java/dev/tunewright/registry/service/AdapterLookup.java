package dev.tunewright.registry.service;

import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Finds a team's adapters and versions by name and number; anything else, another team's included, is a 404. */
@ApplicationScoped
public class AdapterLookup {

    private final AdapterRepository adapters;
    private final AdapterVersionRepository versions;

    public AdapterLookup(AdapterRepository adapters, AdapterVersionRepository versions) {
        this.adapters = adapters;
        this.versions = versions;
    }

    public Adapter adapter(String teamId, String name) {
        return adapters.byName(teamId, name).orElseThrow(() -> ApiException.notFound("adapter", name));
    }

    /** The adapter, locked until the caller's transaction ends. */
    public Adapter adapterForUpdate(String teamId, String name) {
        return adapters.byNameForUpdate(teamId, name).orElseThrow(() -> ApiException.notFound("adapter", name));
    }

    public AdapterVersion version(Adapter adapter, int version) {
        return versions.byNumber(adapter.id, version)
                .orElseThrow(() -> ApiException.notFound("version", adapter.name + "/versions/" + version));
    }

    public AdapterVersion version(String teamId, String name, int version) {
        return version(adapter(teamId, name), version);
    }
}
