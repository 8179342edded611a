package dev.tunewright.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.common.rest.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object of a request field by field, so every error names the offending field by its full path
 * ({@code method.supervised.hyperparameters.n_epochs}) and a field nobody asked for is refused instead of silently
 * ignored (a misspelt {@code lora.learning_rte} would otherwise train with the default).
 */
final class RequestFields {

    static final String AUTO = "auto";

    private final JsonNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    private RequestFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The object at {@code path}; null or absent reads as an empty object. */
    static RequestFields of(JsonNode node, String path) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw invalid(path, path + " must be an object");
        }
        return new RequestFields(node, path);
    }

    String param(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    JsonNode raw(String name) {
        read.add(name);
        JsonNode value = node == null ? null : node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    RequestFields object(String name) {
        return of(raw(name), param(name));
    }

    String string(String name, int maxLength) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(param(name), param(name) + " must be a string");
        }
        if (value.textValue().length() > maxLength) {
            throw invalid(param(name), param(name) + " must be at most " + maxLength + " characters, was "
                    + value.textValue().length());
        }
        return value.textValue();
    }

    String requiredString(String name, int maxLength) {
        String value = string(name, maxLength);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("missing_field", param(name), param(name) + " is required");
        }
        return value;
    }

    /** An integer in {@code [min, max]}, or null when absent or (where {@code autoAllowed}) {@code "auto"}. */
    Integer integer(String name, long min, long max, boolean autoAllowed) {
        Long value = longValue(name, min, max, autoAllowed);
        return value == null ? null : value.intValue();
    }

    Long longValue(String name, long min, long max, boolean autoAllowed) {
        JsonNode value = raw(name);
        if (value == null || autoAllowed && AUTO.equals(value.asText(null)) && value.isTextual()) {
            return null;
        }
        if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
            throw invalid(param(name), param(name) + " must be an integer" + (autoAllowed ? " or \"auto\"" : "")
                    + ", was " + value);
        }
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw invalid(param(name), param(name) + " must be between " + min + " and " + max + ", was " + value);
        }
        return value.asLong();
    }

    /** A number in the range (bounds inclusive unless said), or null when absent or {@code "auto"} where allowed. */
    Double number(String name, double min, boolean minExclusive, double max, boolean autoAllowed) {
        JsonNode value = raw(name);
        if (value == null || autoAllowed && value.isTextual() && AUTO.equals(value.textValue())) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw invalid(param(name), param(name) + " must be a number" + (autoAllowed ? " or \"auto\"" : "")
                    + ", was " + value);
        }
        double v = value.asDouble();
        if (v < min || minExclusive && v == min || v > max) {
            throw invalid(param(name), param(name) + " must be " + (minExclusive ? "greater than " : "at least ") + min
                    + " and at most " + max + ", was " + value);
        }
        return v;
    }

    Boolean bool(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(param(name), param(name) + " must be true or false, was " + value);
        }
        return value.booleanValue();
    }

    /** One of {@code allowed} (case-insensitive), lower-cased; null when absent. */
    String choice(String name, List<String> allowed) {
        String value = string(name, 64);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw invalid(param(name), param(name) + " must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
        }
        return lower;
    }

    /** A list of short strings; a single string counts as a list of one. */
    List<String> strings(String name, int maxItems, java.util.regex.Pattern item) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (value.isTextual()) {
            out.add(value.textValue());
        } else if (value.isArray()) {
            value.forEach(element -> out.add(element.isTextual() ? element.textValue() : null));
        } else {
            throw invalid(param(name), param(name) + " must be a list of strings");
        }
        if (out.isEmpty() || out.size() > maxItems) {
            throw invalid(param(name), param(name) + " must name between 1 and " + maxItems + " entries");
        }
        for (String entry : out) {
            if (entry == null || !item.matcher(entry).matches()) {
                throw invalid(param(name), param(name) + " entries must match " + item.pattern() + ", got " + entry);
            }
        }
        return List.copyOf(out);
    }

    /** Refuses the fields of this object that nobody read. */
    void rejectUnknown() {
        if (node == null) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw ApiException.badRequest("unknown_parameter", param(name), "unrecognized request argument: "
                        + param(name));
            }
        }
    }

    static ApiException invalid(String param, String message) {
        return ApiException.badRequest("invalid_value", param, message);
    }
}
