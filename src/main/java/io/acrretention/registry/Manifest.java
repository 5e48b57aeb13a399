package io.acrretention.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A manifest of one repository with everything the planner needs.
 *
 * @param children digests an image index (manifest list) refers to; empty for a single image
 * @param subject the digest this manifest refers to when it is a referrer (signature, SBOM), else
 *     null
 * @param subjectUnread true when the manifest's content was not read, so {@code subject} is not
 *     known: it may be a signature or SBOM of an image that stays. The planner never lets such a
 *     manifest go ({@code subject-unread}); {@code ListAndPlan} reads the ones the plan would
 *     delete or untag.
 */
public record Manifest(
        String digest,
        String mediaType,
        long sizeBytes,
        Instant createdTime,
        Instant lastUpdateTime,
        boolean deleteEnabled,
        boolean writeEnabled,
        List<Tag> tags,
        List<String> children,
        String subject,
        boolean subjectUnread) {
    public Manifest {
        Objects.requireNonNull(digest, "digest");
        tags = tags == null ? List.of() : List.copyOf(tags);
        children = children == null ? List.of() : List.copyOf(children);
    }

    /** A manifest whose subject is known ({@code null}: it refers to nothing). */
    public Manifest(
            String digest,
            String mediaType,
            long sizeBytes,
            Instant createdTime,
            Instant lastUpdateTime,
            boolean deleteEnabled,
            boolean writeEnabled,
            List<Tag> tags,
            List<String> children,
            String subject) {
        this(
                digest,
                mediaType,
                sizeBytes,
                createdTime,
                lastUpdateTime,
                deleteEnabled,
                writeEnabled,
                tags,
                children,
                subject,
                false);
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
        return new Manifest(
                digest,
                mediaType,
                sizeBytes,
                createdTime,
                lastUpdateTime,
                deleteEnabled,
                writeEnabled,
                newTags,
                children,
                subject,
                subjectUnread);
    }

    /**
     * This manifest with its subject as read from its content ({@code null}: it refers to nothing).
     */
    public Manifest withSubject(String readSubject) {
        return new Manifest(
                digest,
                mediaType,
                sizeBytes,
                createdTime,
                lastUpdateTime,
                deleteEnabled,
                writeEnabled,
                tags,
                children,
                readSubject,
                false);
    }
}
