package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.image.InvalidImageReferenceException;
import io.acrretention.inventory.ImageSink;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The images of one pod spec, and of its container statuses when it is a running pod. A status is
 * paired with its spec container by name, so a used image carries its tag and the digest that
 * actually runs.
 *
 * <p>Thousands of pods name the same few images: each distinct string is parsed once (a bounded
 * cache).
 */
final class PodImages {
    private static final int CACHE_LIMIT = 20_000;
    private static final String[] CONTAINERS = {
        "containers", "initContainers", "ephemeralContainers"
    };
    private static final String[] STATUSES = {
        "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"
    };

    private final ImageSink sink;
    private final Map<String, Object> parsed = new HashMap<>();

    PodImages(ImageSink sink) {
        this.sink = sink;
    }

    /**
     * @param spec a {@code PodSpec}; must be an object
     * @param status a {@code PodStatus}, or a missing node for templates
     * @throws IllegalArgumentException when {@code spec} is not an object (the item is not what its
     *     kind says)
     */
    void record(JsonNode spec, JsonNode status, String where) {
        if (spec == null || !spec.isObject()) {
            throw new IllegalArgumentException(where + " has no pod spec");
        }
        for (int group = 0; group < CONTAINERS.length; group++) {
            Map<String, String> running =
                    imageIds(status == null ? null : status.get(STATUSES[group]));
            for (JsonNode container : spec.path(CONTAINERS[group])) {
                String name = container.path("name").asText("");
                JsonNode image = container.get("image");
                if (image == null || !image.isTextual()) {
                    sink.ignored("", "container '" + name + "' has no image");
                }
                pair(
                        image == null || !image.isTextual() ? null : image.asText(),
                        running.remove(name));
            }
            // A status without its spec container still shows an image that runs.
            running.values().forEach(imageId -> pair(null, imageId));
        }
    }

    /**
     * One container of a template found outside a pod spec (a custom resource, a revision's data).
     */
    void container(JsonNode container) {
        JsonNode image = container.get("image");
        if (image == null || !image.isTextual()) {
            sink.ignored("", "container '" + container.path("name").asText("") + "' has no image");
            return;
        }
        pair(image.asText(), null);
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

    private void pair(String image, String imageId) {
        ImageReference spec = image == null ? null : parseOrIgnore(image);
        ImageReference running = imageId == null ? null : parseOrIgnore(imageId);
        String digest = running == null ? null : running.digest().orElse(null);
        if (spec != null
                && digest != null
                && spec.name().equals(running.name())
                && spec.digest().map(digest::equals).orElse(true)) {
            sink.used(spec, digest);
            return;
        }
        if (spec != null) {
            sink.used(spec, null);
        }
        // The digest runs even when its repository differs from the spec's (a mirror, a rewritten
        // pull).
        if (running != null) {
            sink.used(running, digest);
        }
    }

    private ImageReference parseOrIgnore(String raw) {
        Object known = parsed.get(raw);
        if (known == null) {
            try {
                known = ImageReference.parse(raw);
            } catch (InvalidImageReferenceException e) {
                known = e.reason();
            }
            if (parsed.size() >= CACHE_LIMIT) {
                parsed.clear();
            }
            parsed.put(raw, known);
        }
        if (known instanceof ImageReference ref) {
            return ref;
        }
        sink.ignored(raw, (String) known);
        return null;
    }
}
