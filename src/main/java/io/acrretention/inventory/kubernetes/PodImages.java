package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.image.InvalidImageReferenceException;
import io.acrretention.inventory.ImageSink;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The images of one pod spec, and of its container statuses when it is a running pod. A status is paired
 * with its spec container by name, so a used image carries its tag and the digest that actually runs.
 */
final class PodImages {
    private static final String[] CONTAINERS = {"containers", "initContainers", "ephemeralContainers"};
    private static final String[] STATUSES =
            {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"};

    private PodImages() {
    }

    /**
     * @param spec   a {@code PodSpec}; must be an object
     * @param status a {@code PodStatus}, or a missing node for templates
     * @throws IllegalArgumentException when {@code spec} is not an object (the item is not what its kind says)
     */
    static void record(JsonNode spec, JsonNode status, ImageSink sink, String where) {
        if (spec == null || !spec.isObject()) {
            throw new IllegalArgumentException(where + " has no pod spec");
        }
        for (int group = 0; group < CONTAINERS.length; group++) {
            Map<String, String> running = imageIds(status == null ? null : status.get(STATUSES[group]));
            for (JsonNode container : spec.path(CONTAINERS[group])) {
                String name = container.path("name").asText("");
                JsonNode image = container.get("image");
                if (image == null || !image.isTextual()) {
                    sink.ignored("", "container '" + name + "' has no image");
                }
                pair(image == null || !image.isTextual() ? null : image.asText(), running.remove(name), sink);
            }
            // A status without its spec container still shows an image that runs.
            running.values().forEach(imageId -> pair(null, imageId, sink));
        }
    }

    private static Map<String, String> imageIds(JsonNode statuses) {
        Map<String, String> byName = new LinkedHashMap<>();
        if (statuses != null) {
            for (JsonNode s : statuses) {
                String imageId = s.path("imageID").asText("");
                // A container that has not started yet has no imageID.
                if (!imageId.isEmpty()) {
                    byName.put(s.path("name").asText(""), imageId);
                }
            }
        }
        return byName;
    }

    private static void pair(String image, String imageId, ImageSink sink) {
        ImageReference spec = image == null ? null : parseOrIgnore(image, sink);
        ImageReference running = imageId == null ? null : parseOrIgnore(imageId, sink);
        String digest = running == null ? null : running.digest().orElse(null);
        if (spec != null && digest != null && spec.name().equals(running.name())
                && spec.digest().map(digest::equals).orElse(true)) {
            sink.used(spec, digest);
            return;
        }
        if (spec != null) {
            sink.used(spec, null);
        }
        // The digest runs even when its repository differs from the spec's (a mirror, a rewritten pull).
        if (running != null) {
            sink.used(running, digest);
        }
    }

    private static ImageReference parseOrIgnore(String raw, ImageSink sink) {
        try {
            return ImageReference.parse(raw);
        } catch (InvalidImageReferenceException e) {
            sink.ignored(raw, e.reason());
            return null;
        }
    }
}
