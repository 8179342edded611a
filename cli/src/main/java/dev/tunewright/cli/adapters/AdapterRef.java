package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApi;
import java.util.Map;

/**
 * An adapter as the command line names it: {@code NAME} with {@code --version N}, or {@code NAME@ALIAS}
 * ({@code NAME@latest} for the newest version).
 */
record AdapterRef(String name, String alias, Integer version) {

    static AdapterRef parse(String spec, Integer version) {
        int at = spec.lastIndexOf('@');
        if (at > 0) {
            if (version != null) {
                throw new IllegalArgumentException("give either NAME@ALIAS or --version, not both");
            }
            return new AdapterRef(spec.substring(0, at), spec.substring(at + 1), null);
        }
        return new AdapterRef(spec, null, version);
    }

    boolean namesVersion() {
        return alias != null || version != null;
    }

    /** The version this names, as the registry describes it (lineage, files, evaluation, checks, recipe). */
    JsonNode resolve(TeamApi api) {
        if (alias != null) {
            return api.get("/v1/adapters/" + name + "@" + alias, Map.of());
        }
        if (version == null) {
            return api.get("/v1/adapters/" + name + "@latest", Map.of());
        }
        return api.get(versionPath(version), Map.of());
    }

    String versionPath(int number) {
        return "/v1/adapters/" + name + "/versions/" + number;
    }
}
