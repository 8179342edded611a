package dev.tunewright.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ways into rendered manifests (plain maps, as Kustomize and YAML give them) that the checks share. */
final class Manifests {

    /** The repository root (set by the build; the working directory is the module's own folder otherwise). */
    static final Path REPO = Path.of(System.getProperty("tunewright.repo.dir", "../..")).toAbsolutePath().normalize();

    /** Every service module, each built into an image of the same name. */
    static final List<String> SERVICES = List.of("gateway", "dataset-service", "trainer-service", "eval-service",
            "registry-service");

    private Manifests() {
    }

    /** The pod spec of a workload: a Deployment's or Job's template, or a KEDA ScaledJob's job template. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> podSpec(Map<String, Object> object) {
        Object spec = object.get("spec");
        for (String path : List.of("template.spec", "jobTargetRef.template.spec", "jobTemplate.spec.template.spec")) {
            Object node = spec;
            for (String part : path.split("\\.")) {
                node = node instanceof Map<?, ?> map ? map.get(part) : null;
            }
            if (node instanceof Map<?, ?> podSpec && podSpec.containsKey("containers")) {
                return Optional.of((Map<String, Object>) podSpec);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        List<Map<String, Object>> containers = new ArrayList<>();
        podSpec(object).ifPresent(spec -> {
            for (String field : List.of("initContainers", "containers")) {
                Object list = spec.get(field);
                if (list != null) {
                    ((List<Object>) list).forEach(container -> containers.add((Map<String, Object>) container));
                }
            }
        });
        return containers;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    static String kindAndName(Map<String, Object> object) {
        return object.get("kind") + "/" + Kustomize.name(object);
    }

    static Optional<Map<String, Object>> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(Kustomize.name(o))).findFirst();
    }

    /** The keys a ConfigMap or Secret provides ({@code data}, {@code stringData}, {@code binaryData}). */
    static Map<String, String> entries(Map<String, Object> configMapOrSecret) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String field : List.of("data", "stringData", "binaryData")) {
            map(configMapOrSecret.get(field)).forEach((key, value) -> entries.put(key, String.valueOf(value)));
        }
        return entries;
    }

    /**
     * The environment a container gets, by variable name: its {@code env} entries and the keys of the ConfigMaps and
     * Secrets its {@code envFrom} names (with their prefix); values of ConfigMap keys where known.
     */
    static Map<String, String> environment(Map<String, Object> container, List<Map<String, Object>> objects) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : list(container.get("envFrom"))) {
            String prefix = String.valueOf(source.getOrDefault("prefix", ""));
            for (String kind : List.of("ConfigMap", "Secret")) {
                Map<String, Object> ref = map(source.get(kind.equals("ConfigMap") ? "configMapRef" : "secretRef"));
                if (!ref.isEmpty()) {
                    find(objects, kind, (String) ref.get("name")).ifPresent(found ->
                            entries(found).forEach((key, value) -> environment.put(prefix + key, value)));
                }
            }
        }
        for (Map<String, Object> variable : list(container.get("env"))) {
            environment.put((String) variable.get("name"), variable.containsKey("value")
                    ? String.valueOf(variable.get("value")) : null);
        }
        return environment;
    }

    /** The service module whose image a container runs ({@code <registry>/tunewright/<service>:<tag>}), if any. */
    static Optional<String> serviceOfImage(String image) {
        String repository = Images.repository(image);
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        return SERVICES.contains(name) ? Optional.of(name) : Optional.empty();
    }
}
