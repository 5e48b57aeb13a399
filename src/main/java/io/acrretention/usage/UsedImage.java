package io.acrretention.usage;

import java.util.List;
import java.util.Objects;

/**
 * One image in use.
 *
 * @param reference the normalised reference ({@link
 *     io.acrretention.image.ImageReference#toString()})
 * @param digest the digest that actually runs (from {@code imageID}), when known
 * @param clusters the clusters that use it, sorted
 */
public record UsedImage(String reference, String digest, List<String> clusters) {
    public UsedImage {
        Objects.requireNonNull(reference, "reference");
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }
}
