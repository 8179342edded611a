package dev.tunewright.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' strategic merge patch, for the fields deploy/k8s patches: maps merge key by key, lists of named
 * things ({@code containers}, {@code env}, {@code volumes}, ...) merge by their merge key as the Kubernetes API
 * declares it, and every other list ({@code envFrom}, {@code args}, ...) is replaced whole, as Kubernetes does.
 */
final class StrategicMerge {

    /** Kubernetes' patchMergeKey of the list fields that have one (core/v1 and apps/v1 types). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "imagePullSecrets", "name",
            "tolerations", "key");

    private StrategicMerge() {
    }

    static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        return mergeMaps(target, patch);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergeMaps(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> merged = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            Object existing = merged.get(key);
            if (value == null) {
                merged.remove(key);
            } else if (existing instanceof Map && value instanceof Map) {
                merged.put(key, mergeMaps((Map<String, Object>) existing, (Map<String, Object>) value));
            } else if (existing instanceof List && value instanceof List && MERGE_KEYS.containsKey(key)) {
                merged.put(key, mergeLists((List<Object>) existing, (List<Object>) value, MERGE_KEYS.get(key)));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** Items of the patch that the target lacks come first, as Kustomize orders them; the target's keep their order. */
    @SuppressWarnings("unchecked")
    private static List<Object> mergeLists(List<Object> target, List<Object> patch, String mergeKey) {
        List<Object> added = new ArrayList<>();
        List<Object> merged = new ArrayList<>(target);
        for (Object item : patch) {
            Map<String, Object> patchItem = (Map<String, Object>) item;
            Object key = patchItem.get(mergeKey);
            int index = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (key != null && key.equals(((Map<String, Object>) merged.get(i)).get(mergeKey))) {
                    index = i;
                }
            }
            if (index >= 0) {
                merged.set(index, mergeMaps((Map<String, Object>) merged.get(index), patchItem));
            } else {
                added.add(patchItem);
            }
        }
        added.addAll(merged);
        return added;
    }
}
