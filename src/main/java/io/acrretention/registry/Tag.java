package io.acrretention.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A tag as the registry lists it. Times may be missing on some registries; the planner falls back
 * to the manifest's times then.
 *
 * @param deleteEnabled false when the tag is locked against deletion
 * @param writeEnabled false when the tag is write-locked, which ACR also treats as delete-locked
 */
public record Tag(
        String name,
        String digest,
        Instant createdTime,
        Instant lastUpdateTime,
        boolean deleteEnabled,
        boolean writeEnabled) {
    public Tag {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
    }

    public static Tag of(String name, String digest, Instant created) {
        return new Tag(name, digest, created, created, true, true);
    }

    public boolean locked() {
        return !deleteEnabled || !writeEnabled;
    }
}
