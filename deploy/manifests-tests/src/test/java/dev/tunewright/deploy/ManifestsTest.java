package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.REPO;
import static dev.tunewright.deploy.Manifests.find;
import static dev.tunewright.deploy.Manifests.kindAndName;
import static dev.tunewright.deploy.Manifests.list;
import static dev.tunewright.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s rendered (base and every overlay) and checked as the cluster would take it, and more: every object is
 * a valid Kubernetes or KEDA object, everything it refers to exists, every image is one the build makes, and every
 * service's environment is what its configuration reads.
 */
class ManifestsTest {

    static final Path K8S = REPO.resolve("deploy/k8s");
    static final String VERSION = "0.1.0-SNAPSHOT";

    static List<Map<String, Object>> render(String target) throws IOException {
        return Kustomize.build(K8S.resolve(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void everyObjectIsAValidKubernetesOrKedaObject(String target) throws IOException {
        List<Map<String, Object>> objects = render(target);
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map<String, Object> object : objects) {
            if (!names.add(kindAndName(object))) {
                problems.add(kindAndName(object) + " is defined twice");
            }
            problems.addAll(KubernetesModel.problems(object));
            if (KedaSchemas.KINDS.contains(object.get("kind"))) {
                problems.addAll(KedaSchemas.problems(object));
            }
        }
        assertThat(objects).isNotEmpty();
        assertThat(problems).as(target).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void everythingReferredToExists(String target) throws IOException {
        List<Map<String, Object>> objects = render(target);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            References.check(object, objects, problems);
        }
        assertThat(problems).as(target).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void everyImageIsOneTheBuildMakes(String target) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : render(target)) {
            for (Map<String, Object> container : Manifests.containers(object)) {
                String image = (String) container.get("image");
                String service = Manifests.serviceOfImage(image).orElse(null);
                boolean gpu = service != null && Files.exists(REPO.resolve(service).resolve("src/main/jib-gpu/README.md"));
                Set<String> built = service == null ? Set.of()
                        : gpu ? Set.of(VERSION, VERSION + "-gpu") : Set.of(VERSION);
                String expected = "docker.io/tunewright/" + service + ":";
                if (service == null || !image.startsWith(expected) || !built.contains(image.substring(expected.length()))) {
                    problems.add(kindAndName(object) + " container " + container.get("name") + ": image " + image
                            + " is not one the build makes (docker.io/tunewright/<service>:" + VERSION + "[-gpu])");
                }
            }
        }
        assertThat(problems).as(target).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void everyServiceGetsTheEnvironmentItsConfigurationReads(String target) throws IOException {
        List<Map<String, Object>> objects = render(target);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> object : objects) {
            for (Map<String, Object> container : Manifests.containers(object)) {
                String service = Manifests.serviceOfImage((String) container.get("image")).orElse(null);
                if (service != null) {
                    problems.addAll(EnvironmentCheck.problems(target + " " + kindAndName(object), service,
                            Manifests.environment(container, objects).keySet()));
                    checked++;
                }
            }
        }
        assertThat(checked).as("containers checked").isGreaterThanOrEqualTo(Manifests.SERVICES.size());
        assertThat(problems).as(target).isEmpty();
    }

    @Test
    void gpuWorkersAreKedaJobsCountingClaimableQueueItems() throws IOException {
        List<Map<String, Object>> objects = render("overlays/gpu");
        Map<String, String> common = Manifests.entries(find(objects, "ConfigMap", "tunewright-common").orElseThrow());
        WorkerCheck.check(find(objects, "ScaledJob", "trainer-worker").orElseThrow(), "trainer-service", "training",
                Map.of("TUNEWRIGHT_TRAINER_ROLES", "worker", "TUNEWRIGHT_TRAINER_ONCE", "true"), common, objects);
        WorkerCheck.check(find(objects, "ScaledJob", "eval-worker").orElseThrow(), "eval-service", "evaluation",
                Map.of("TUNEWRIGHT_EVAL_WORKER_ONCE", "true", "TUNEWRIGHT_EVAL_DEVICE", "gpu"), common, objects);
        Map<String, Object> trainerApi = find(objects, "Deployment", "trainer-service").orElseThrow();
        assertThat(Manifests.environment(Manifests.containers(trainerApi).get(0), objects))
                .containsEntry("TUNEWRIGHT_TRAINER_ROLES", "api");
        Map<String, Object> evalApi = find(objects, "Deployment", "eval-service").orElseThrow();
        assertThat(Manifests.environment(Manifests.containers(evalApi).get(0), objects))
                .containsEntry("TUNEWRIGHT_EVAL_WORKER_ENABLED", "false");
    }

    @Test
    void apiRolesHaveDisruptionBudgetsThatStillAllowADrain() throws IOException {
        List<Map<String, Object>> objects = render("overlays/gpu");
        for (String service : Manifests.SERVICES) {
            Map<String, Object> budget = find(objects, "PodDisruptionBudget", service).orElseThrow(() ->
                    new AssertionError("no PodDisruptionBudget for " + service));
            Map<String, Object> deployment = find(objects, "Deployment", service).orElseThrow();
            int replicas = (Integer) map(deployment.get("spec")).get("replicas");
            int minAvailable = (Integer) map(budget.get("spec")).get("minAvailable");
            assertThat(minAvailable).as(service).isPositive().isLessThan(replicas);
            assertThat(map(map(budget.get("spec")).get("selector")).get("matchLabels"))
                    .isEqualTo(Map.of("app.kubernetes.io/name", service));
        }
    }

    @Test
    void servicesAreScrapedByPrometheus() throws IOException {
        for (Map<String, Object> object : render("overlays/gpu")) {
            if (object.get("kind").equals("Deployment") || object.get("kind").equals("ScaledJob")) {
                Map<String, Object> template = object.get("kind").equals("Deployment")
                        ? map(map(object.get("spec")).get("template"))
                        : map(map(map(object.get("spec")).get("jobTargetRef")).get("template"));
                Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));
                String port = String.valueOf(list(Manifests.containers(object).get(0).get("ports")).get(0).get("containerPort"));
                assertThat(annotations).as(kindAndName(object)).containsEntry("prometheus.io/scrape", "true")
                        .containsEntry("prometheus.io/path", "/q/metrics").containsEntry("prometheus.io/port", port);
            }
        }
    }

    @Test
    void theBaseCarriesWhatQuarkusGeneratesForEachService() throws IOException {
        int compared = 0;
        for (String service : Manifests.SERVICES) {
            Path generated = REPO.resolve(service).resolve("target/kubernetes/kubernetes.yml");
            if (Files.exists(generated)) {
                assertThat(Kustomize.loadAll(K8S.resolve("base/generated/" + service + ".yml")))
                        .as(service + ": deploy/k8s/base/generated/ is stale; run deploy/k8s/regenerate")
                        .isEqualTo(Kustomize.loadAll(generated));
                compared++;
            }
        }
        assumeTrue(compared > 0, "no service was packaged in this build (no target/kubernetes) to compare with");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void kubectlRendersTheSameObjects(String target) throws IOException, InterruptedException {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed: rendering compared with Kustomize itself skipped");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve(target).toString())
                .redirectErrorStream(false).start();
        byte[] output = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor()).as("kubectl kustomize: " + errors).isZero();
        Path rendered = Files.createTempFile("kustomize-", ".yaml");
        try {
            Files.write(rendered, output);
            Map<String, Map<String, Object>> byKubectl = new java.util.TreeMap<>();
            Kustomize.loadAll(rendered).forEach(object -> byKubectl.put(kindAndName(object), object));
            Map<String, Map<String, Object>> byRenderer = new java.util.TreeMap<>();
            render(target).forEach(object -> byRenderer.put(kindAndName(object), object));
            assertThat(byRenderer.keySet()).isEqualTo(byKubectl.keySet());
            byKubectl.forEach((name, object) -> assertThat(byRenderer.get(name)).as(name).isEqualTo(object));
        } finally {
            Files.delete(rendered);
        }
    }

    static String requireText(Object value, String what) {
        return Objects.requireNonNull(value, what).toString();
    }
}
