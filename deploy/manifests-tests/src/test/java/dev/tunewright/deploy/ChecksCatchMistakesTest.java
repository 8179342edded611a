package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.find;
import static dev.tunewright.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks of {@link ManifestsTest} fail on the mistakes they are there for (each applied to a rendered copy). */
class ChecksCatchMistakesTest {

    private static List<Map<String, Object>> gpu() throws IOException {
        return ManifestsTest.render("overlays/gpu");
    }

    private static Map<String, Object> container(List<Map<String, Object>> objects, String kind, String name) {
        return Manifests.containers(find(objects, kind, name).orElseThrow()).get(0);
    }

    @Test
    void aMisspeltKubernetesFieldIsReported() throws IOException {
        List<Map<String, Object>> objects = gpu();
        Map<String, Object> deployment = find(objects, "Deployment", "gateway").orElseThrow();
        container(objects, "Deployment", "gateway").put("livenesProbe", Map.of("httpGet", Map.of("port", 8080)));
        assertThat(KubernetesModel.problems(deployment)).singleElement().asString().contains("livenesProbe");
    }

    @Test
    void aScaledJobOutsideKedasSchemaIsReported() throws IOException {
        Map<String, Object> job = find(gpu(), "ScaledJob", "trainer-worker").orElseThrow();
        Map<String, Object> spec = map(job.get("spec"));
        spec.put("maxReplicaCnt", 3);
        spec.put("scalingStrategy", Map.of("strategy", "acurate"));
        assertThat(String.join("\n", KedaSchemas.problems(job))).contains("maxReplicaCnt").contains("scalingStrategy.strategy");
    }

    @Test
    void aMissingConfigMapOrPortIsReported() throws IOException {
        List<Map<String, Object>> objects = gpu();
        objects.remove(find(objects, "ConfigMap", "tunewright-models").orElseThrow());
        Map<String, Object> service = find(objects, "Service", "gateway").orElseThrow();
        map(Manifests.list(map(service.get("spec")).get("ports")).get(0)).put("targetPort", 9999);
        List<String> problems = new ArrayList<>();
        objects.forEach(object -> References.check(object, objects, problems));
        assertThat(String.join("\n", problems)).contains("ConfigMap tunewright-models").contains("targetPort 9999");
    }

    @Test
    void anUnreadOrMissingSettingIsReported() throws IOException {
        Set<String> environment = new LinkedHashSet<>(Manifests.environment(container(gpu(), "Deployment",
                "dataset-service"), gpu()).keySet());
        assertThat(EnvironmentCheck.problems("ok", "dataset-service", environment)).isEmpty();
        environment.add("TUNEWRIGHT_ARTIFACTS_S3_BUCKT");
        environment.remove("TUNEWRIGHT_IDENTITY_SECRET");
        assertThat(String.join("\n", EnvironmentCheck.problems("typo", "dataset-service", environment)))
                .contains("TUNEWRIGHT_ARTIFACTS_S3_BUCKT is set but dataset-service reads no such setting")
                .contains("needs TUNEWRIGHT_IDENTITY_SECRET");
    }

    @Test
    void configurationKeysAreReadInTheirEnvironmentForm() throws IOException {
        ServiceConfig gateway = EnvironmentCheck.config("gateway");
        assertThat(gateway.reads("TUNEWRIGHT_GATEWAY_ROUTES_DATASET_URL")).as("a map entry of a mapping").isTrue();
        assertThat(gateway.reads("TUNEWRIGHT_IDENTITY_MAX_AGE")).as("a mapping key, kebab-case").isTrue();
        assertThat(gateway.reads("DATASET_SERVICE_URL")).as("a placeholder").isTrue();
        assertThat(gateway.reads("TUNEWRIGHT_DATASET_MAX_FILE_BYTES")).as("another service's key").isFalse();
        assertThat(EnvironmentCheck.config("dataset-service").reads("TUNEWRIGHT_DATASET_MAX_FILE_BYTES")).isTrue();
        assertThat(EnvironmentCheck.config("dataset-service").reads("HF_TOKEN")).as("read by the engine's code").isTrue();
    }

    @Test
    void aStrategicMergeMergesNamedListsAndReplacesOthers() {
        Map<String, Object> target = Map.of("spec", Map.of("containers", List.of(Map.of("name", "a", "image", "x",
                "env", List.of(Map.of("name", "KEEP", "value", "1")), "envFrom", List.of(Map.of("configMapRef", Map.of("name", "old")))))));
        Map<String, Object> patch = Map.of("spec", Map.of("containers", List.of(Map.of("name", "a",
                "env", List.of(Map.of("name", "ADD", "value", "2")), "envFrom", List.of(Map.of("secretRef", Map.of("name", "new")))))));
        Map<String, Object> merged = Manifests.containers(Map.of("spec", Map.of("template",
                Map.of("spec", map(StrategicMerge.apply(target, patch).get("spec")))))).get(0);
        assertThat(merged).containsEntry("image", "x")
                .containsEntry("env", List.of(Map.of("name", "ADD", "value", "2"), Map.of("name", "KEEP", "value", "1")))
                .containsEntry("envFrom", List.of(Map.of("secretRef", Map.of("name", "new"))));
    }
}
