package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.list;
import static dev.tunewright.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.queue.WorkQueue;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What a GPU worker ScaledJob must be: one {@code --once} worker per Job on one GPU, as many Jobs as claimable queue
 * items (counted with {@link WorkQueue#CLAIMABLE}, in the service's own schema, on the database the services use),
 * bounded, and none when the queue is empty.
 */
final class WorkerCheck {

    private WorkerCheck() {
    }

    /** @param workerEnvironment what makes the service's process a {@code --once} worker on the GPU */
    static void check(Map<String, Object> scaledJob, String service, String queueKind,
            Map<String, String> workerEnvironment, Map<String, String> common, List<Map<String, Object>> objects) {
        String name = Manifests.kindAndName(scaledJob);
        Map<String, Object> spec = map(scaledJob.get("spec"));
        assertThat(map(spec.get("scalingStrategy")).get("strategy")).as(name + " scaling strategy").isEqualTo("accurate");
        assertThat(spec.get("minReplicaCount")).as(name + " scales to zero").isEqualTo(0);
        assertThat((Integer) spec.get("maxReplicaCount")).as(name + " maxReplicaCount bounded").isBetween(1, 16);

        Map<String, Object> jobSpec = map(spec.get("jobTargetRef"));
        assertThat(jobSpec.get("parallelism")).as(name + " one pod per Job").isEqualTo(1);
        assertThat(jobSpec.get("completions")).isEqualTo(1);
        assertThat(Manifests.podSpec(scaledJob).orElseThrow().get("restartPolicy")).isEqualTo("Never");
        List<Map<String, Object>> containers = Manifests.containers(scaledJob);
        assertThat(containers).hasSize(1);
        Map<String, Object> container = containers.get(0);
        assertThat((String) container.get("image")).as(name + " runs the GPU image of " + service)
                .isEqualTo("docker.io/tunewright/" + service + ":" + ManifestsTest.VERSION + "-gpu");
        Map<String, Object> resources = map(container.get("resources"));
        assertThat(map(resources.get("limits")).get("nvidia.com/gpu")).as(name + " GPU limit").isEqualTo(1);
        assertThat(map(resources.get("requests")).get("nvidia.com/gpu")).as(name + " GPU request").isEqualTo(1);
        Map<String, String> environment = Manifests.environment(container, objects);
        assertThat(environment).as(name + " is a --once worker").containsAllEntriesOf(workerEnvironment);

        List<Map<String, Object>> triggers = list(spec.get("triggers"));
        assertThat(triggers).as(name + " triggers").hasSize(1);
        Map<String, Object> trigger = triggers.get(0);
        assertThat(trigger.get("type")).isEqualTo("postgresql");
        Map<String, Object> metadata = map(trigger.get("metadata"));
        String schema = propertyValue(service, "quarkus.flyway.schemas");
        assertThat(metadata.get("query")).as(name + " counts claimable items with WorkQueue.CLAIMABLE")
                .isEqualTo("select count(*) from " + schema + ".work_item where kind = '" + queueKind + "' and "
                        + WorkQueue.CLAIMABLE);
        assertThat(metadata.get("targetQueryValue")).as(name + " one Job per item").isEqualTo("1");

        URI database = URI.create(common.get("TUNEWRIGHT_DB_URL").substring("jdbc:".length()));
        assertThat(metadata.get("host")).as(name + " counts on the services' database").isEqualTo(database.getHost());
        assertThat(metadata.get("port")).isEqualTo(String.valueOf(database.getPort()));
        assertThat(metadata.get("dbName")).isEqualTo(database.getPath().substring(1));
    }

    private static String propertyValue(String service, String key) {
        try (var reader = java.nio.file.Files.newBufferedReader(
                Manifests.REPO.resolve(service).resolve("src/main/resources/application.properties"))) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(reader);
            return properties.getProperty(key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
