package dev.tunewright.registry.service;

import dev.tunewright.common.models.ModelRef;
import dev.tunewright.common.rest.ApiException;
import java.util.regex.Pattern;

/**
 * Adapter and alias names. An adapter is named by its job's suffix, or the base model's short name when the job had
 * none; a name appears in URLs, in {@code name@alias} and in vLLM's {@code --lora-modules name=path}, so anything but
 * letters, digits, dot, dash and underscore becomes a dash.
 */
public final class AdapterNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** {@code name@latest} resolves to the newest version; it is not an alias anyone can set. */
    public static final String LATEST = "latest";

    private AdapterNames() {
    }

    /** The adapter name of a job with {@code suffix} on {@code baseModel}. */
    public static String of(String suffix, String baseModel) {
        String raw = suffix != null && !suffix.isBlank() ? suffix
                : new ModelRef(ModelRef.Source.HUB, baseModel, null).shortName(); // as the ft: ids spell the base
        String cleaned = raw.strip().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[._-]+", "");
        cleaned = cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned;
        return cleaned.isEmpty() ? "adapter" : cleaned;
    }

    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @throws ApiException 400 naming {@code alias} when it cannot be an alias */
    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches() || alias.equals(LATEST) || alias.chars().allMatch(Character::isDigit)) {
            throw ApiException.badRequest("invalid_alias", "alias", "alias '" + alias + "' must be 1-64 lowercase letters,"
                    + " digits, '.', '_' or '-', start with a letter or digit, not be all digits and not be '" + LATEST + "'");
        }
        return alias;
    }
}
