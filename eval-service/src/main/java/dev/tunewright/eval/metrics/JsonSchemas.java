package dev.tunewright.eval.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * JSON Schema conformance through networknt's validator (draft 4 to 2020-12, by the schema's {@code $schema},
 * 2020-12 when it names none). A schema arrives in a request, so references are refused unless they point into
 * the schema itself ({@code #/...}): the service must never fetch a URL a team chose.
 */
public final class JsonSchemas {

    private JsonSchemas() {
    }

    /** A conformance check, or an {@link IllegalArgumentException} saying why the schema is unusable. */
    public static Predicate<JsonNode> compile(JsonNode schemaNode) {
        if (schemaNode == null || !schemaNode.isObject()) {
            throw new IllegalArgumentException("a JSON Schema must be a JSON object");
        }
        String remote = remoteReference(schemaNode);
        if (remote != null) {
            throw new IllegalArgumentException("the JSON Schema refers to '" + remote
                    + "'; only references inside the schema (#/...) are allowed");
        }
        SpecVersion.VersionFlag version;
        try {
            version = schemaNode.has("$schema") ? SpecVersionDetector.detect(schemaNode) : SpecVersion.VersionFlag.V202012;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown JSON Schema version " + schemaNode.get("$schema"), e);
        }
        JsonSchema schema;
        try {
            schema = JsonSchemaFactory.getInstance(version).getSchema(schemaNode);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid JSON Schema: " + e.getMessage(), e);
        }
        return node -> schema.validate(node).isEmpty();
    }

    private static String remoteReference(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if ((field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef")) && field.getValue().isTextual()
                        && !field.getValue().textValue().startsWith("#")) {
                    return field.getValue().textValue();
                }
                String inner = remoteReference(field.getValue());
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String inner = remoteReference(item);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
