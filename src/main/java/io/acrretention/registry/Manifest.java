package io.acrretention.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A manifest of one repository with everything the planner needs.
 *
 * @param children digests an image index (manifest list) refers to; empty for a single image
 * @param subject  the digest this manifest refers to when it is a referrer (signature, SBOM), else null
 */
public record Manifest(String digest, String mediaType, long sizeBytes, Instant createdTime,
                       Instant lastUpdateTime, boolean deleteEnabled, boolean writeEnabled,
                       List<Tag> tags, List<String> children, String subject) {
    public Manifest {
        Objects.requireNonNull(digest, "digest");
        tags = tags == null ? List.of() : List.copyOf(tags);
        children = children == null ? List.of() : List.copyOf(children);
    }

    public boolean locked() {
        return !deleteEnabled || !writeEnabled;
    }

    public boolean untagged() {
        return tags.isEmpty();
    }

    public List<String> tagNames() {
        return tags.stream().map(Tag::name).toList();
    }

    public Manifest withTags(List<Tag> newTags) {
        return new Manifest(digest, mediaType, sizeBytes, createdTime, lastUpdateTime, deleteEnabled,
                writeEnabled, newTags, children, subject);
    }
}
