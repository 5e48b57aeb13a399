package io.acrretention.registry.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.image.ImageReference;
import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A registry held in memory, loaded from a snapshot document: what {@code acr-retention demo}
 * cleans, so a user sees the real pipeline's decisions without an Azure account. Writes change only
 * the memory.
 *
 * <p>Snapshot: {@code {"loginServer", "snapshotAt", "repositories": [{"name", "manifests":
 * [{"digest", "mediaType", "sizeBytes", "createdTime", "lastUpdateTime", "deleteEnabled",
 * "writeEnabled", "tags": [{"name", "createdTime", "lastUpdateTime", "deleteEnabled",
 * "writeEnabled"}], "children", "subject"}]}]}}.
 */
public final class SnapshotRegistry implements Registry {
    private final String loginServer;
    private final Instant snapshotAt;
    private final Map<String, Map<String, Manifest>> repositories = new TreeMap<>();

    private SnapshotRegistry(String loginServer, Instant snapshotAt) {
        this.loginServer = loginServer;
        this.snapshotAt = snapshotAt;
    }

    public static SnapshotRegistry load(InputStream in, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "registry snapshot " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        SnapshotRegistry registry =
                new SnapshotRegistry(
                        text(root, "loginServer", source), time(root, "snapshotAt", source));
        for (JsonNode repo : root.path("repositories")) {
            String name = text(repo, "name", source);
            Map<String, Manifest> manifests = new TreeMap<>();
            for (JsonNode m : repo.path("manifests")) {
                Manifest manifest = manifest(m, source + " " + name);
                manifests.put(manifest.digest(), manifest);
            }
            registry.repositories.put(name, manifests);
        }
        return registry;
    }

    /** The moment the snapshot was taken: the demo plans as of then, so its output never drifts. */
    public Instant snapshotAt() {
        return snapshotAt;
    }

    @Override
    public String loginServer() {
        return loginServer;
    }

    @Override
    public synchronized List<String> repositories() {
        return List.copyOf(repositories.keySet());
    }

    @Override
    public synchronized RepositoryArtifacts artifacts(String repository) {
        return new RepositoryArtifacts(
                loginServer,
                repository,
                List.copyOf(repositories.getOrDefault(repository, Map.of()).values()));
    }

    @Override
    public synchronized Optional<Manifest> refresh(String repository, String digest) {
        return Optional.ofNullable(repositories.getOrDefault(repository, Map.of()).get(digest));
    }

    @Override
    public synchronized boolean exists(String repository, String reference) {
        Map<String, Manifest> manifests = repositories.getOrDefault(repository, Map.of());
        return manifests.containsKey(reference)
                || manifests.values().stream().anyMatch(m -> m.tagNames().contains(reference));
    }

    @Override
    public synchronized DeleteOutcome deleteManifest(String repository, String digest) {
        Map<String, Manifest> manifests = repositories.get(repository);
        return manifests != null && manifests.remove(digest) != null
                ? DeleteOutcome.DELETED
                : DeleteOutcome.ALREADY_GONE;
    }

    @Override
    public synchronized DeleteOutcome untag(String repository, String tag) {
        Map<String, Manifest> manifests = repositories.getOrDefault(repository, Map.of());
        for (Manifest m : manifests.values()) {
            if (m.tagNames().contains(tag)) {
                manifests.put(
                        m.digest(),
                        m.withTags(m.tags().stream().filter(t -> !t.name().equals(tag)).toList()));
                return DeleteOutcome.DELETED;
            }
        }
        return DeleteOutcome.ALREADY_GONE;
    }

    /** The restored tag takes the snapshot's time, so the demo's output never drifts. */
    @Override
    public synchronized RestoreOutcome restoreTag(String repository, String digest, String tag) {
        Map<String, Manifest> manifests = repositories.getOrDefault(repository, Map.of());
        for (Manifest m : manifests.values()) {
            if (m.tagNames().contains(tag)) {
                return m.digest().equals(digest)
                        ? RestoreOutcome.ALREADY_THERE
                        : RestoreOutcome.TAG_TAKEN;
            }
        }
        Manifest m = manifests.get(digest);
        if (m == null) {
            return RestoreOutcome.MANIFEST_GONE;
        }
        List<Tag> tags = new ArrayList<>(m.tags());
        tags.add(Tag.of(tag, digest, snapshotAt));
        manifests.put(digest, m.withTags(tags));
        return RestoreOutcome.RESTORED;
    }

    private static Manifest manifest(JsonNode m, String where) {
        String digest = text(m, "digest", where);
        if (!ImageReference.isDigest(digest)) {
            throw new IllegalArgumentException(where + ": invalid digest '" + digest + "'");
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonNode t : m.path("tags")) {
            tags.add(
                    new Tag(
                            text(t, "name", where),
                            digest,
                            time(t, "createdTime", where),
                            time(t, "lastUpdateTime", where),
                            t.path("deleteEnabled").asBoolean(true),
                            t.path("writeEnabled").asBoolean(true)));
        }
        List<String> children = new ArrayList<>();
        m.path("children").forEach(c -> children.add(c.asText()));
        String subject = m.hasNonNull("subject") ? m.get("subject").asText() : null;
        return new Manifest(
                digest,
                m.path("mediaType").asText(null),
                m.path("sizeBytes").asLong(0),
                time(m, "createdTime", where),
                time(m, "lastUpdateTime", where),
                m.path("deleteEnabled").asBoolean(true),
                m.path("writeEnabled").asBoolean(true),
                tags,
                children,
                subject);
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(
                    "registry snapshot " + where + ": '" + key + "' must be a string");
        }
        return v.asText();
    }

    private static Instant time(JsonNode node, String key, String where) {
        String text = text(node, key, where);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "registry snapshot "
                            + where
                            + ": '"
                            + key
                            + "' is not an ISO-8601 time: "
                            + text,
                    e);
        }
    }
}
