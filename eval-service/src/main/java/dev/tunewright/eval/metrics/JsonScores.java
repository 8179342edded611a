package dev.tunewright.eval.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Structured-output scores of one output against its reference. Both are read as JSON (an output wrapped in one
 * Markdown code fence is unwrapped first, as chat models like to answer); exact match compares canonical forms
 * (keys sorted, numbers by value, no whitespace); field scores compare leaves, each a JSON path with its canonical
 * value ({@code $.customer.name="Ada"}, {@code $.items[0]=3}), so a model that gets four of five fields right
 * earns 0.8 recall rather than nothing.
 *
 * @param valid         1 when the output parses as JSON, else 0
 * @param exactMatch    1 when output and reference are equal as JSON
 * @param predicted     leaves in the output
 * @param expected      leaves in the reference
 * @param matched       leaves present in both with equal values
 * @param schemaValid   1 when the output conforms to the given JSON Schema, 0 when it does not or is not JSON,
 *                      null without a schema
 */
public record JsonScores(int valid, int exactMatch, int predicted, int expected, int matched, Integer schemaValid) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Leaf precision; 1 when both sides are empty objects, 0 when the output has no leaves otherwise. */
    public double precision() {
        return predicted == 0 ? (expected == 0 && valid == 1 ? 1 : 0) : (double) matched / predicted;
    }

    public double recall() {
        return expected == 0 ? (predicted == 0 && valid == 1 ? 1 : 0) : (double) matched / expected;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * @param schema checks conformance when non-null (see {@link JsonSchemas#compile})
     */
    public static JsonScores of(String reference, String output, Predicate<JsonNode> schema) {
        JsonNode expectedNode = parse(reference);
        JsonNode outputNode = parse(output);
        Map<String, String> expectedLeaves = expectedNode == null ? Map.of() : leaves(expectedNode);
        if (outputNode == null) {
            return new JsonScores(0, 0, 0, expectedLeaves.size(), 0, schema == null ? null : 0);
        }
        Map<String, String> outputLeaves = leaves(outputNode);
        int matched = 0;
        for (Map.Entry<String, String> leaf : outputLeaves.entrySet()) {
            if (leaf.getValue().equals(expectedLeaves.get(leaf.getKey()))) {
                matched++;
            }
        }
        boolean exact = expectedNode != null && canonical(expectedNode).equals(canonical(outputNode));
        Integer conforms = schema == null ? null : schema.test(outputNode) ? 1 : 0;
        return new JsonScores(1, exact ? 1 : 0, outputLeaves.size(), expectedLeaves.size(), matched, conforms);
    }

    /** Whether the text is JSON (after unwrapping a code fence), for detecting structured tasks. */
    public static boolean isJson(String text) {
        JsonNode node = parse(text);
        return node != null && (node.isObject() || node.isArray());
    }

    /** The JSON text of the node with keys sorted and numbers by value. */
    public static String canonical(JsonNode node) {
        return sorted(node).toString();
    }

    static JsonNode parse(String text) {
        String body = unfenced(text.strip());
        if (body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String unfenced(String text) {
        if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
            String inner = text.substring(3, text.length() - 3);
            int newline = inner.indexOf('\n');
            return (newline >= 0 && inner.substring(0, newline).strip().matches("[A-Za-z0-9_-]*")
                    ? inner.substring(newline + 1) : inner).strip();
        }
        return text;
    }

    static Map<String, String> leaves(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        collect("$", node, out);
        return out;
    }

    private static void collect(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                collect(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path, canonical(node));
        }
    }

    private static JsonNode sorted(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), sorted(f.getValue())));
            ObjectNode out = nodes.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(sorted(item)));
            return nodes.arrayNode().addAll(items);
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue().stripTrailingZeros();
            return nodes.numberNode(value.scale() < 0 ? value.setScale(0) : value);
        }
        return node;
    }
}
