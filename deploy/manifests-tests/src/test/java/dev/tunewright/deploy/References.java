package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.find;
import static dev.tunewright.deploy.Manifests.kindAndName;
import static dev.tunewright.deploy.Manifests.list;
import static dev.tunewright.deploy.Manifests.map;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that whatever a manifest refers to by name (or by URL, or by label) is there to be found. */
final class References {

    /**
     * Hosts the deployment expects the operator to provide (base/config.yaml says so): the database, the broker and
     * the S3-compatible store. Any other host named in configuration must be a Service of the manifests.
     */
    static final Set<String> INFRASTRUCTURE = Set.of("postgres", "kafka", "minio");
    private static final Pattern URL = Pattern.compile("^(?:jdbc:)?[a-z]+://([a-z0-9.-]+)(?::(\\d+))?(?:/.*)?$");
    private static final Pattern HOST_PORT = Pattern.compile("^([a-z0-9.-]+):(\\d+)$");

    private References() {
    }

    static void check(Map<String, Object> object, List<Map<String, Object>> objects, List<String> problems) {
        String where = kindAndName(object);
        Manifests.podSpec(object).ifPresent(spec -> podSpec(where, spec, objects, problems));
        Map<String, Object> spec = map(object.get("spec"));
        switch ((String) object.get("kind")) {
            case "Service" -> service(where, spec, objects, problems);
            case "PodDisruptionBudget" -> {
                if (podTemplatesMatching(map(map(spec.get("selector")).get("matchLabels")), objects) == 0) {
                    problems.add(where + ": its selector matches no workload");
                }
            }
            case "RoleBinding" -> {
                require(objects, "Role", (String) map(object.get("roleRef")).get("name"), where, problems);
                list(object.get("subjects")).forEach(s -> require(objects, "ServiceAccount", (String) s.get("name"), where, problems));
            }
            case "TriggerAuthentication" -> list(spec.get("secretTargetRef")).forEach(ref ->
                    requireKey(objects, "Secret", (String) ref.get("name"), (String) ref.get("key"), where, problems));
            case "ScaledJob", "ScaledObject" -> list(spec.get("triggers")).forEach(trigger -> {
                Object auth = map(trigger.get("authenticationRef")).get("name");
                if (auth != null) {
                    require(objects, "TriggerAuthentication", (String) auth, where, problems);
                }
            });
            case "ConfigMap" -> Manifests.entries(object).forEach((key, value) ->
                    endpoints(where + " " + key, value, objects, problems));
            default -> {
            }
        }
    }

    private static void podSpec(String where, Map<String, Object> spec, List<Map<String, Object>> objects,
            List<String> problems) {
        Object account = spec.get("serviceAccountName");
        if (account != null) {
            require(objects, "ServiceAccount", (String) account, where, problems);
        }
        Set<String> volumes = new HashSet<>();
        for (Map<String, Object> volume : list(spec.get("volumes"))) {
            volumes.add((String) volume.get("name"));
            optionalName(volume, "configMap", "name").ifPresent(n -> require(objects, "ConfigMap", n, where, problems));
            optionalName(volume, "secret", "secretName").ifPresent(n -> require(objects, "Secret", n, where, problems));
            optionalName(volume, "persistentVolumeClaim", "claimName")
                    .ifPresent(n -> require(objects, "PersistentVolumeClaim", n, where, problems));
        }
        for (Map<String, Object> container : Manifests.containers(Map.of("spec", Map.of("template", Map.of("spec", spec))))) {
            String in = where + " container " + container.get("name");
            for (Map<String, Object> source : list(container.get("envFrom"))) {
                optionalName(source, "configMapRef", "name").ifPresent(n -> require(objects, "ConfigMap", n, in, problems));
                optionalName(source, "secretRef", "name").ifPresent(n -> require(objects, "Secret", n, in, problems));
            }
            for (Map<String, Object> variable : list(container.get("env"))) {
                Map<String, Object> from = map(variable.get("valueFrom"));
                Map<String, Object> configMapKey = map(from.get("configMapKeyRef"));
                Map<String, Object> secretKey = map(from.get("secretKeyRef"));
                if (!configMapKey.isEmpty()) {
                    requireKey(objects, "ConfigMap", (String) configMapKey.get("name"), (String) configMapKey.get("key"), in, problems);
                }
                if (!secretKey.isEmpty()) {
                    requireKey(objects, "Secret", (String) secretKey.get("name"), (String) secretKey.get("key"), in, problems);
                }
            }
            for (Map<String, Object> mount : list(container.get("volumeMounts"))) {
                if (!volumes.contains(mount.get("name"))) {
                    problems.add(in + ": mounts volume " + mount.get("name") + ", which the pod does not have");
                }
            }
            Set<Object> ports = new HashSet<>();
            list(container.get("ports")).forEach(port -> {
                ports.add(port.get("containerPort"));
                ports.add(port.get("name"));
            });
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                Object port = map(map(container.get(probe)).get("httpGet")).get("port");
                if (port != null && !ports.contains(port)) {
                    problems.add(in + ": " + probe + " checks port " + port + ", which the container does not expose");
                }
            }
        }
    }

    private static void service(String where, Map<String, Object> spec, List<Map<String, Object>> objects,
            List<String> problems) {
        Map<String, Object> selector = map(spec.get("selector"));
        Set<Object> containerPorts = new HashSet<>();
        int matching = 0;
        for (Map<String, Object> object : objects) {
            if (labelsMatch(selector, podLabels(object))) {
                matching++;
                Manifests.containers(object).forEach(c -> list(c.get("ports")).forEach(p -> {
                    containerPorts.add(p.get("containerPort"));
                    containerPorts.add(p.get("name"));
                }));
            }
        }
        if (matching == 0) {
            problems.add(where + ": its selector " + selector + " matches no pod template");
        }
        for (Map<String, Object> port : list(spec.get("ports"))) {
            Object target = port.getOrDefault("targetPort", port.get("port"));
            if (!containerPorts.contains(target)) {
                problems.add(where + ": targetPort " + target + " is no port of the pods it selects");
            }
        }
    }

    /** Hosts in configuration values (URLs, host:port lists) are Services of the manifests or known infrastructure. */
    private static void endpoints(String where, String value, List<Map<String, Object>> objects, List<String> problems) {
        for (String part : value.split(",")) {
            Matcher url = URL.matcher(part.trim());
            Matcher hostPort = HOST_PORT.matcher(part.trim());
            Matcher match = url.matches() ? url : hostPort.matches() ? hostPort : null;
            if (match == null) {
                continue;
            }
            String host = match.group(1);
            int port = match.group(2) != null ? Integer.parseInt(match.group(2)) : part.startsWith("https") ? 443 : 80;
            var service = find(objects, "Service", host);
            if (service.isPresent()) {
                boolean served = list(map(service.get().get("spec")).get("ports")).stream()
                        .anyMatch(p -> Integer.valueOf(port).equals(p.get("port")));
                if (!served) {
                    problems.add(where + ": Service " + host + " has no port " + port);
                }
            } else if (!INFRASTRUCTURE.contains(host)) {
                problems.add(where + ": " + host + " is neither a Service here nor known infrastructure " + INFRASTRUCTURE);
            }
        }
    }

    static Map<String, Object> podLabels(Map<String, Object> object) {
        Map<String, Object> spec = map(object.get("spec"));
        Map<String, Object> template = map(spec.get("template"));
        if (template.isEmpty()) {
            template = map(map(spec.get("jobTargetRef")).get("template"));
        }
        return map(map(template.get("metadata")).get("labels"));
    }

    static int podTemplatesMatching(Map<String, Object> selector, List<Map<String, Object>> objects) {
        return (int) objects.stream().filter(o -> labelsMatch(selector, podLabels(o))).count();
    }

    private static boolean labelsMatch(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && !labels.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static java.util.Optional<String> optionalName(Map<String, Object> holder, String field, String nameField) {
        return java.util.Optional.ofNullable((String) map(holder.get(field)).get(nameField));
    }

    private static void require(List<Map<String, Object>> objects, String kind, String name, String where,
            List<String> problems) {
        if (find(objects, kind, name).isEmpty()) {
            problems.add(where + ": refers to " + kind + " " + name + ", which is not defined");
        }
    }

    private static void requireKey(List<Map<String, Object>> objects, String kind, String name, String key, String where,
            List<String> problems) {
        var found = find(objects, kind, name);
        if (found.isEmpty()) {
            problems.add(where + ": refers to " + kind + " " + name + ", which is not defined");
        } else if (!Manifests.entries(found.get()).containsKey(key)) {
            problems.add(where + ": " + kind + " " + name + " has no key " + key);
        }
    }
}
