package dev.tunewright.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the part of Kustomize that deploy/k8s uses:
 * {@code resources} (files and kustomization folders, depth first), {@code patches} given by {@code path} (strategic
 * merge patches that name their target by kind and name), {@code namespace} and {@code images}. Anything else in a
 * kustomization fails the rendering, so the manifests cannot drift into features whose result this renderer would get
 * wrong; {@link ManifestsTest} also compares the result with kubectl's where kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");

    private Kustomize() {
    }

    /** The objects {@code dir/kustomization.yaml} stands for, in Kustomize's resource order (before its sorting). */
    static List<Map<String, Object>> build(Path dir) throws IOException {
        Map<String, Object> kustomization = loadOne(dir.resolve("kustomization.yaml"));
        for (String field : kustomization.keySet()) {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir.resolve("kustomization.yaml") + ": field '" + field
                        + "' is not supported by this renderer (supported: " + SUPPORTED + ")");
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = dir.resolve((String) resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(build(path));
            } else {
                objects.addAll(loadAll(path));
            }
        }
        for (Object entry : list(kustomization.get("patches"))) {
            Map<?, ?> patchEntry = (Map<?, ?>) entry;
            if (patchEntry.keySet().size() != 1 || !patchEntry.containsKey("path")) {
                throw new IllegalArgumentException(dir + ": only patches given by 'path' alone are supported: " + patchEntry);
            }
            Path path = dir.resolve((String) patchEntry.get("path"));
            for (Map<String, Object> patch : loadAll(path)) {
                Map<String, Object> target = find(objects, patch).orElseThrow(() -> new IllegalArgumentException(
                        path + ": patch target " + patch.get("kind") + "/" + name(patch) + " is not among the resources"));
                objects.set(objects.indexOf(target), StrategicMerge.apply(target, patch));
            }
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            objects.forEach(object -> metadata(object).put("namespace", namespace));
        }
        for (Object image : list(kustomization.get("images"))) {
            Images.apply(objects, (Map<?, ?>) image);
        }
        return objects;
    }

    static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.computeIfAbsent("metadata", key -> new LinkedHashMap<>());
    }

    private static java.util.Optional<Map<String, Object>> find(List<Map<String, Object>> objects, Map<String, Object> patch) {
        return objects.stream().filter(object -> object.get("kind").equals(patch.get("kind"))
                && name(object).equals(name(patch))).findFirst();
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    static Map<String, Object> loadOne(Path file) throws IOException {
        List<Map<String, Object>> all = loadAll(file);
        if (all.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + all.size());
        }
        return all.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (document != null) {
                    documents.add((Map<String, Object>) document);
                }
            }
        }
        return documents;
    }
}
