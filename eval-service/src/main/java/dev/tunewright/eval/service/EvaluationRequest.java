package dev.tunewright.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.metrics.JsonSchemas;
import dev.tunewright.eval.metrics.TaskType;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/evaluations} body, checked field by field: an unknown field is refused (usually a typo that
 * would silently evaluate something else), and every error names its field as {@code param}.
 *
 * @param jobId   the job whose final adapter is evaluated, or null when {@code adapter} names it
 * @param adapter an {@code ft:} model id or an adapter artifact id of the team's, or null
 * @param split   {@code validation} (default) or {@code train} of the job's dataset
 * @param apiKey  the reference's key, null without a reference; never stored in clear, never returned
 */
public record EvaluationRequest(String jobId, String adapter, String split, EvaluationOptions options, String apiKey) {

    static final Set<String> FIELDS = Set.of("job_id", "adapter", "split", "task_type", "margin", "reference", "prices",
            "max_examples", "json_schema", "judge");
    static final Set<String> REFERENCE_FIELDS = Set.of("base_url", "model", "api_key");
    static final Set<String> PRICE_FIELDS = Set.of("currency", "device_hour", "reference_input_per_million",
            "reference_output_per_million");

    @Override
    public String toString() {
        return "EvaluationRequest[jobId=" + jobId + ", adapter=" + adapter + ", split=" + split + ", options=" + options
                + ", apiKey=" + (apiKey == null ? "none" : "(set)") + "]";
    }

    public static EvaluationRequest parse(JsonNode body, EvalConfig config) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", null, "the request body must be a JSON object");
        }
        onlyKnown(body, FIELDS, "");
        String jobId = text(body, "job_id");
        String adapter = text(body, "adapter");
        if ((jobId == null) == (adapter == null)) {
            throw ApiException.badRequest("invalid_request", jobId == null ? "job_id" : "adapter",
                    "give exactly one of job_id or adapter");
        }
        String split = text(body, "split");
        if (split == null) {
            split = "validation";
        } else if (!split.equals("validation") && !split.equals("train")) {
            throw ApiException.badRequest("invalid_value", "split", "split must be validation or train");
        }
        String taskType = taskType(text(body, "task_type"), "task_type");
        double margin = number(body, "margin", config.margin(), 0, 1);
        int maxExamples = (int) number(body, "max_examples", config.generation().maxExamples(), 1,
                config.generation().maxExamples());
        JsonNode schema = body.get("json_schema");
        if (schema != null && !schema.isNull()) {
            try {
                JsonSchemas.compile(schema);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_value", "json_schema", e.getMessage());
            }
        } else {
            schema = null;
        }
        JsonNode judgeNode = body.get("judge");
        if (judgeNode != null && !judgeNode.isNull() && !judgeNode.isBoolean()) {
            throw ApiException.badRequest("invalid_value", "judge", "judge must be true or false");
        }
        boolean judge = judgeNode != null && judgeNode.asBoolean(false);
        EvaluationOptions.Reference reference = null;
        String apiKey = null;
        JsonNode ref = body.get("reference");
        if (ref != null && !ref.isNull()) {
            if (!ref.isObject()) {
                throw ApiException.badRequest("invalid_value", "reference", "reference must be an object {base_url, model, api_key}");
            }
            onlyKnown(ref, REFERENCE_FIELDS, "reference.");
            String baseUrl = required(ref, "base_url", "reference.base_url");
            checkUrl(baseUrl, config);
            reference = new EvaluationOptions.Reference(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1)
                    : baseUrl, required(ref, "model", "reference.model"));
            apiKey = text(ref, "api_key");
        }
        if (judge && reference == null && config.reference().defaultBaseUrl().isEmpty()) {
            throw ApiException.badRequest("invalid_value", "judge", "judge needs a reference endpoint to ask");
        }
        return new EvaluationRequest(jobId, adapter, split, new EvaluationOptions(taskType, margin, maxExamples, schema,
                judge, reference, prices(body.get("prices"), config)), apiKey);
    }

    /** Options a job asked for in its {@code evaluation} map (lenient: the trainer already accepted them). */
    public static EvaluationOptions fromJob(Map<String, Object> asked, EvalConfig config, JsonNode schema) {
        String taskType = asked.get("task_type") instanceof String t ? taskTypeOrNull(t) : null;
        double margin = asked.get("margin") instanceof Number n ? n.doubleValue() : config.margin();
        int maxExamples = asked.get("max_examples") instanceof Number n
                ? Math.max(1, Math.min(n.intValue(), config.generation().maxExamples())) : config.generation().maxExamples();
        boolean judge = Boolean.TRUE.equals(asked.get("judge")) && config.reference().defaultBaseUrl().isPresent();
        return new EvaluationOptions(taskType, margin, maxExamples, schema, judge, defaultReference(config),
                defaultPrices(config));
    }

    /** The deployment's reference for automatic evaluations, when it configures one. */
    static EvaluationOptions.Reference defaultReference(EvalConfig config) {
        return config.reference().defaultBaseUrl().isPresent() && config.reference().defaultModel().isPresent()
                ? new EvaluationOptions.Reference(config.reference().defaultBaseUrl().get(), config.reference().defaultModel().get())
                : null;
    }

    static EvaluationOptions.Prices defaultPrices(EvalConfig config) {
        EvalConfig.Prices p = config.prices();
        return new EvaluationOptions.Prices(p.currency(), p.deviceHour(), p.referenceInputPerMillion(),
                p.referenceOutputPerMillion());
    }

    private static EvaluationOptions.Prices prices(JsonNode node, EvalConfig config) {
        EvaluationOptions.Prices defaults = defaultPrices(config);
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_value", "prices", "prices must be an object");
        }
        onlyKnown(node, PRICE_FIELDS, "prices.");
        String currency = text(node, "currency");
        return new EvaluationOptions.Prices(currency == null ? defaults.currency() : currency,
                number(node, "device_hour", defaults.deviceHour(), 0, 1e6, "prices.device_hour"),
                number(node, "reference_input_per_million", defaults.referenceInputPerMillion(), 0, 1e6,
                        "prices.reference_input_per_million"),
                number(node, "reference_output_per_million", defaults.referenceOutputPerMillion(), 0, 1e6,
                        "prices.reference_output_per_million"));
    }

    static void checkUrl(String url, EvalConfig config) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_value", "reference.base_url", "reference.base_url is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw ApiException.badRequest("invalid_value", "reference.base_url",
                    "reference.base_url must be an http(s) URL such as https://api.openai.com/v1");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("invalid_value", "reference.base_url",
                    "reference.base_url must not carry credentials; give the key as reference.api_key");
        }
        boolean allowed = config.reference().allowedUrls().stream().anyMatch(p -> p.equals("*") || url.startsWith(p));
        if (!allowed) {
            throw ApiException.badRequest("invalid_value", "reference.base_url",
                    "this deployment allows reference endpoints under " + String.join(", ", config.reference().allowedUrls()));
        }
    }

    private static String taskType(String value, String param) {
        if (value == null || value.equals("auto")) {
            return null;
        }
        try {
            return TaskType.of(value).wireName();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_value", param, e.getMessage());
        }
    }

    private static String taskTypeOrNull(String value) {
        try {
            return value.equals("auto") ? null : TaskType.of(value).wireName();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown_field", prefix + name, "unknown field '" + prefix + name
                        + "'; expected " + String.join(", ", known.stream().sorted().map(k -> prefix + k).toList()));
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest("invalid_value", field, field + " must be a non-empty string");
        }
        return value.textValue().strip();
    }

    private static String required(JsonNode node, String field, String param) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw ApiException.badRequest("missing_field", param, param + " is required");
        }
        return value.textValue().strip();
    }

    private static double number(JsonNode node, String field, double fallback, double min, double max) {
        return number(node, field, fallback, min, max, field);
    }

    private static double number(JsonNode node, String field, double fallback, double min, double max, String param) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
            throw ApiException.badRequest("invalid_value", param, param + " must be a number from " + fmt(min) + " to " + fmt(max));
        }
        return value.doubleValue();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
