package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.REPO;
import static dev.tunewright.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/compose/docker-compose.yml: the whole platform on one Docker host, checked as far as it can be without Docker. */
class ComposeTest {

    private static final Path COMPOSE = REPO.resolve("deploy/compose/docker-compose.yml");
    private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(\\d+)/q/health/ready");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        // SnakeYAML resolves the merge keys (<<) the file uses, as Compose does.
        return (Map<String, Object>) Kustomize.loadOne(COMPOSE).get("services");
    }

    @Test
    void everyServiceRunsItsImageWithAHealthCheckOnItsOwnPort() throws IOException {
        Map<String, Object> services = services();
        assertThat(services).containsKeys(Manifests.SERVICES.toArray(String[]::new)).containsKeys("kafka", "postgres", "minio");
        for (String service : Manifests.SERVICES) {
            Map<String, Object> definition = map(services.get(service));
            assertThat((String) definition.get("image")).isEqualTo("tunewright/" + service
                    + ":${TUNEWRIGHT_VERSION:-" + ManifestsTest.VERSION + "}");
            String check = String.join(" ", (List<String>) map(definition.get("healthcheck")).get("test"));
            Matcher port = HEALTH_URL.matcher(check);
            assertThat(port.find()).as(service + " health check " + check).isTrue();
            assertThat(port.group(1)).as(service + " health check port")
                    .isEqualTo(httpPort(service));
        }
        java.util.Set<Object> oneShot = new java.util.HashSet<>();
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            map(map(entry.getValue()).get("depends_on")).forEach((dependency, condition) -> {
                assertThat(services).as(entry.getKey() + " depends on " + dependency).containsKey(dependency);
                if ("service_completed_successfully".equals(map(condition).get("condition"))) {
                    oneShot.add(dependency);
                }
            });
        }
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            if (oneShot.contains(entry.getKey())) {
                assertThat(map(entry.getValue())).as(entry.getKey() + " runs once").containsEntry("restart", "no");
            } else {
                assertThat(map(entry.getValue())).as(entry.getKey() + " has a health check").containsKey("healthcheck");
            }
        }
    }

    @Test
    void everyServiceGetsTheEnvironmentItsConfigurationReads() throws IOException {
        Map<String, Object> services = services();
        List<String> problems = new ArrayList<>();
        for (String service : Manifests.SERVICES) {
            Map<String, Object> environment = map(map(services.get(service)).get("environment"));
            problems.addAll(EnvironmentCheck.problems("compose " + service, service, environment.keySet()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void namedVolumesAreDeclaredAndTheModelCacheIsShared() throws IOException {
        Map<String, Object> compose = Kustomize.loadOne(COMPOSE);
        Map<String, Object> declared = map(compose.get("volumes"));
        for (Map.Entry<String, Object> service : services().entrySet()) {
            for (Object volume : (List<Object>) map(service.getValue()).getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                assertThat(declared).as(service.getKey() + " volume " + source).containsKey(source);
            }
        }
        for (String modelReader : List.of("dataset-service", "trainer-service", "eval-service")) {
            assertThat((List<Object>) map(services().get(modelReader)).get("volumes"))
                    .as(modelReader + " mounts the model cache").contains("models:/var/lib/tunewright/models");
        }
    }

    private static String httpPort(String service) {
        try (var reader = java.nio.file.Files.newBufferedReader(REPO.resolve(service).resolve("src/main/resources/application.properties"))) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(reader);
            return properties.getProperty("quarkus.http.port");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
