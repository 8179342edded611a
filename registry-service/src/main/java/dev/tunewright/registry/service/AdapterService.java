package dev.tunewright.registry.service;

import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterAliasRepository;
import dev.tunewright.registry.repository.AdapterRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import dev.tunewright.registry.repository.JsonText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Listing adapters, resolving {@code name@alias}, and editing an adapter's description and tags. */
@ApplicationScoped
public class AdapterService {

    static final int MAX_TAGS = 32;
    static final int MAX_DESCRIPTION = 4000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}");

    /** One page of adapters; {@code hasMore} when another page follows. */
    public record Page(List<Adapter> adapters, boolean hasMore) {
    }

    private final AdapterRepository adapters;
    private final AdapterVersionRepository versions;
    private final AdapterAliasRepository aliases;
    private final AdapterLookup lookup;
    private final RegistryConfig config;

    public AdapterService(AdapterRepository adapters, AdapterVersionRepository versions, AdapterAliasRepository aliases,
            AdapterLookup lookup, RegistryConfig config) {
        this.adapters = adapters;
        this.versions = versions;
        this.aliases = aliases;
        this.lookup = lookup;
        this.config = config;
    }

    public Page page(String teamId, AdapterRepository.Filter filter, String after, int limit) {
        if ((filter.metric() == null) != (filter.metricMin() == null)) {
            throw ApiException.badRequest("missing_field", filter.metric() == null ? "metric" : "metric_min",
                    "metric and metric_min go together: adapters with a version whose evaluation reached metric_min on metric");
        }
        if (limit < 1 || limit > config.maxPageSize()) {
            throw ApiException.badRequest("invalid_value", "limit", "limit must be 1 to " + config.maxPageSize());
        }
        Adapter cursor = null;
        if (after != null) {
            cursor = adapters.findByIdOptional(after).filter(a -> a.teamId.equals(teamId)).orElseThrow(() ->
                    ApiException.badRequest("invalid_value", "after", "after '" + after + "' is not an adapter id of yours"));
        }
        List<Adapter> rows = adapters.page(teamId, filter, cursor, limit);
        return new Page(rows.subList(0, Math.min(limit, rows.size())), rows.size() > limit);
    }

    /**
     * The version {@code name@alias} points to; {@code latest} is the newest version.
     *
     * @throws ApiException 404 when the adapter or the alias does not exist
     */
    public AdapterVersion resolve(String teamId, String name, String alias) {
        Adapter adapter = lookup.adapter(teamId, name);
        if (AdapterNames.LATEST.equals(alias)) {
            return versions.newest(adapter.id).orElseThrow(() -> ApiException.notFound("alias", name + "@" + alias));
        }
        return aliases.of(adapter.id, alias).map(a -> lookup.version(adapter, a.version))
                .orElseThrow(() -> ApiException.notFound("alias", name + "@" + alias));
    }

    /** Sets what is given: a null field stays as it is, an empty description clears it. */
    @Transactional
    public Adapter update(String teamId, String name, String description, List<String> tags) {
        Adapter adapter = lookup.adapterForUpdate(teamId, name);
        if (description != null) {
            if (description.length() > MAX_DESCRIPTION) {
                throw ApiException.badRequest("invalid_value", "description", "description is longer than "
                        + MAX_DESCRIPTION + " characters");
            }
            adapter.description = description.isBlank() ? null : description;
        }
        if (tags != null) {
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i);
                if (tag == null || !TAG.matcher(tag).matches()) {
                    throw ApiException.badRequest("invalid_value", "tags[" + i + "]", "tag '" + tag + "' must be 1-64 "
                            + "letters, digits or . _ : / = -, starting with a letter or digit");
                }
                unique.add(tag);
            }
            if (unique.size() > MAX_TAGS) {
                throw ApiException.badRequest("invalid_value", "tags", "at most " + MAX_TAGS + " tags");
            }
            adapter.tags = JsonText.write(List.copyOf(unique));
        }
        adapter.updatedAt = Instant.now();
        return adapter;
    }
}
