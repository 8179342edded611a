package dev.tunewright.eval.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.config.EvalConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/chat/completions} body in OpenAI's shape. Fields this server does not implement are refused
 * when they would change the answer ({@code n > 1}, tools, logprobs, penalties, a JSON response format), so a
 * client never gets a silently different completion; fields that only describe the caller ({@code user},
 * {@code metadata}, {@code store}) are accepted and ignored.
 *
 * @param maxTokens null when the request names none (the server's default applies)
 * @param seed      null for a fresh seed per request
 */
public record ChatRequest(String model, List<Map<String, Object>> messages, Integer maxTokens, double temperature,
        double topP, Long seed, List<String> stop, boolean stream, boolean includeUsage) {

    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    public static ChatRequest parse(JsonNode body, EvalConfig.Chat limits) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", null, "the request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.textValue().isBlank()) {
            throw ApiException.badRequest("missing_field", "model", "model is required");
        }
        List<Map<String, Object>> messages = messages(body.get("messages"), limits.maxMessages());
        Integer maxTokens = maxTokens(body, limits.maxTokensLimit());
        double temperature = number(body, "temperature", 1.0, 0, 2);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP == 0) {
            throw ApiException.badRequest("invalid_value", "top_p", "top_p must be greater than 0");
        }
        JsonNode seedNode = body.get("seed");
        Long seed = null;
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
                throw ApiException.badRequest("invalid_value", "seed", "seed must be an integer");
            }
            seed = seedNode.longValue();
        }
        unsupported(body);
        JsonNode streamNode = body.get("stream");
        if (streamNode != null && !streamNode.isNull() && !streamNode.isBoolean()) {
            throw ApiException.badRequest("invalid_value", "stream", "stream must be true or false");
        }
        boolean stream = streamNode != null && streamNode.asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(model.textValue().strip(), messages, maxTokens, temperature, topP, seed,
                stop(body.get("stop")), stream, includeUsage);
    }

    private static List<Map<String, Object>> messages(JsonNode node, int maxMessages) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("missing_field", "messages", "messages must be a non-empty array");
        }
        if (node.size() > maxMessages) {
            throw ApiException.badRequest("invalid_value", "messages", "at most " + maxMessages + " messages per request");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiException.badRequest("invalid_value", param + ".role", param + " needs a string role");
            }
            String role = m.get("role").textValue();
            if (!ROLES.contains(role)) {
                throw ApiException.badRequest("invalid_value", param + ".role", param + ".role '" + role
                        + "' is not supported here (system, developer, user, assistant; no tool calls)");
            }
            if (m.has("tool_calls") && !m.get("tool_calls").isNull() && !m.get("tool_calls").isEmpty()) {
                throw ApiException.badRequest("invalid_value", param + ".tool_calls", "tool calls are not supported");
            }
            Map<String, Object> message = new LinkedHashMap<>();
            // the developer role is OpenAI's new name for system instructions; chat templates know "system"
            message.put("role", role.equals("developer") ? "system" : role);
            message.put("content", content(m.get("content"), param + ".content"));
            if (m.path("name").isTextual()) {
                message.put("name", m.get("name").textValue());
            }
            out.add(message);
        }
        return out;
    }

    private static String content(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.badRequest("invalid_value", param, param
                            + ": only text parts are supported (type \"text\"), not " + part.path("type").asText("?"));
                }
                text.append(part.get("text").textValue());
            }
            return text.toString();
        }
        throw ApiException.badRequest("invalid_value", param, param + " must be a string or an array of text parts");
    }

    private static Integer maxTokens(JsonNode body, int limit) {
        Integer value = null;
        for (String name : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > limit) {
                throw ApiException.badRequest("invalid_value", name, name + " must be an integer from 1 to " + limit);
            }
            value = value == null ? node.intValue() : Math.min(value, node.intValue());
        }
        return value;
    }

    private static List<String> stop(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && node.size() <= 4) {
            node.forEach(s -> out.add(s.isTextual() ? s.textValue() : null));
        }
        if (out.isEmpty() || out.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw ApiException.badRequest("invalid_value", "stop", "stop must be a non-empty string or up to 4 of them");
        }
        return List.copyOf(out);
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
            throw ApiException.badRequest("invalid_value", field, field + " must be a number from " + min + " to " + max);
        }
        return node.doubleValue();
    }

    /** Parameters that would change the answer and that this server does not implement. */
    private static void unsupported(JsonNode body) {
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.intValue() == 1)) {
            throw ApiException.badRequest("unsupported_value", "n", "only n = 1 is supported");
        }
        for (String field : List.of("tools", "functions")) {
            JsonNode tools = body.get(field);
            if (tools != null && !tools.isNull() && !tools.isEmpty()) {
                throw ApiException.badRequest("unsupported_value", field, "tool calling is not supported");
            }
        }
        if (body.path("logprobs").asBoolean(false) || body.has("top_logprobs") && !body.get("top_logprobs").isNull()) {
            throw ApiException.badRequest("unsupported_value", "logprobs", "logprobs are not supported");
        }
        for (String field : List.of("presence_penalty", "frequency_penalty")) {
            JsonNode penalty = body.get(field);
            if (penalty != null && !penalty.isNull() && penalty.doubleValue() != 0) {
                throw ApiException.badRequest("unsupported_value", field, field + " is not supported (must be 0)");
            }
        }
        JsonNode bias = body.get("logit_bias");
        if (bias != null && !bias.isNull() && !bias.isEmpty()) {
            throw ApiException.badRequest("unsupported_value", "logit_bias", "logit_bias is not supported");
        }
        JsonNode format = body.path("response_format").path("type");
        if (format.isTextual() && !format.textValue().equals("text")) {
            throw ApiException.badRequest("unsupported_value", "response_format",
                    "response_format " + format.textValue() + " is not supported (only text)");
        }
    }
}
