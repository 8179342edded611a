package dev.tunewright.deploy;

import java.util.List;
import java.util.Map;

/** Kustomize's {@code images} transformer: containers whose image is {@code name} get a new name, tag or digest. */
final class Images {

    private Images() {
    }

    @SuppressWarnings("unchecked")
    static void apply(List<Map<String, Object>> objects, Map<?, ?> rule) {
        String name = (String) rule.get("name");
        for (Map<String, Object> object : objects) {
            Manifests.containers(object).forEach(container -> {
                String image = (String) container.get("image");
                if (image != null && repository(image).equals(name)) {
                    String repository = rule.containsKey("newName") ? (String) rule.get("newName") : repository(image);
                    String tag = rule.containsKey("digest") ? "@" + rule.get("digest")
                            : rule.containsKey("newTag") ? ":" + rule.get("newTag") : image.substring(repository(image).length());
                    container.put("image", repository + tag);
                }
            });
        }
    }

    /** The image without its tag or digest. */
    static String repository(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(0, at);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }
}
