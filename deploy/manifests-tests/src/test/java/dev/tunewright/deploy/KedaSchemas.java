package dev.tunewright.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's objects checked against the {@code openAPIV3Schema} of KEDA's own CRDs (test resources {@code keda/}), made
 * strict the way {@code kubectl apply --validate=strict} is: an object schema that lists its properties and does not
 * preserve unknown fields gets {@code additionalProperties: false}, so an unknown or misspelt field is an error
 * rather than something the API server prunes without a word.
 */
final class KedaSchemas {

    static final Set<String> KINDS = Set.of("ScaledJob", "ScaledObject", "TriggerAuthentication");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();

    private KedaSchemas() {
    }

    static List<String> problems(Map<String, Object> object) throws IOException {
        JsonSchema schema = schema(object);
        JsonNode node = YAML.valueToTree(object);
        return schema.validate(node).stream().map(ValidationMessage::getMessage)
                .map(message -> Manifests.kindAndName(object) + ": " + message).sorted().toList();
    }

    private static synchronized JsonSchema schema(Map<String, Object> object) throws IOException {
        String kind = (String) object.get("kind");
        String apiVersion = (String) object.get("apiVersion");
        String key = apiVersion + "/" + kind;
        JsonSchema cached = SCHEMAS.get(key);
        if (cached != null) {
            return cached;
        }
        String file = "/keda/keda.sh_" + kind.toLowerCase() + "s.yaml";
        JsonNode crd;
        try (InputStream in = KedaSchemas.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("no CRD for " + kind + " in the test resources (" + file + ")");
            }
            crd = YAML.readTree(in);
        }
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        for (JsonNode served : crd.path("spec").path("versions")) {
            if (served.path("name").asText().equals(version) && served.path("served").asBoolean()) {
                JsonNode openApi = served.path("schema").path("openAPIV3Schema").deepCopy();
                strict(openApi);
                JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
                SCHEMAS.put(key, schema);
                return schema;
            }
        }
        throw new IllegalStateException("KEDA's CRD for " + kind + " serves no version " + version);
    }

    private static void strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        if (node.has("properties") && !node.has("additionalProperties")
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            node.put("additionalProperties", false);
        }
        node.path("properties").forEach(KedaSchemas::strict);
        strict(node.path("items"));
        strict(node.path("additionalProperties"));
    }
}
