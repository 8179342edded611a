package dev.tunewright.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses manifests into fabric8's Kubernetes model classes, strictly: the model keeps fields it does not know in
 * {@code additionalProperties}, and any such field is reported with its path, so a misspelt or misplaced field
 * ({@code livenesProbe}, {@code envFrom} under the pod) fails instead of being dropped by the API server.
 */
final class KubernetesModel {

    /** The built-in kinds deploy/ uses, by {@code apiVersion/kind}. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesModel() {
    }

    /** Problems of one object: an unknown kind, a value of the wrong type, or fields the model does not have. */
    static List<String> problems(Map<String, Object> object) {
        String where = Manifests.kindAndName(object);
        if (KedaSchemas.KINDS.contains(object.get("kind"))) {
            // KEDA's own objects are checked against KEDA's CRDs; the Job they start is a Kubernetes JobSpec.
            Object jobTarget = Manifests.map(object.get("spec")).get("jobTargetRef");
            return jobTarget == null ? List.of() : problems(where + " spec.jobTargetRef", jobTarget, JobSpec.class);
        }
        Class<? extends HasMetadata> type = KINDS.get(object.get("apiVersion") + "/" + object.get("kind"));
        if (type == null) {
            return List.of(where + ": no Kubernetes model for " + object.get("apiVersion") + "/" + object.get("kind"));
        }
        return problems(where, object, type);
    }

    private static List<String> problems(String where, Object value, Class<?> type) {
        Object parsed;
        try {
            parsed = JSON.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            return List.of(where + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        unknownFields(parsed, where, problems);
        return problems;
    }

    private static void unknownFields(Object node, String path, List<String> problems) {
        if (node == null) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, problems));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": fields not in the Kubernetes model: " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + decapitalize(getter.getName().substring(3)), problems);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
