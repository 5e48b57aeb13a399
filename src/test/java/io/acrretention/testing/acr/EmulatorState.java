package io.acrretention.testing.acr;

import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The emulated registry's content: repositories, manifests and tags with their times and locks.
 * Seeded by tests with our own {@link Manifest}/{@link Tag} values; every method is atomic (one
 * lock for the whole registry).
 */
public final class EmulatorState {
    static final class Repo {
        final String name;
        final Instant created;
        Instant updated;
        boolean deleteEnabled = true;
        boolean writeEnabled = true;

        /** Manifests stored without tags; tags live in {@link #tags}, each naming its digest. */
        final TreeMap<String, Manifest> manifests = new TreeMap<>();

        final TreeMap<String, Tag> tags = new TreeMap<>();

        Repo(String name, Instant created) {
            this.name = name;
            this.created = created;
            this.updated = created;
        }

        List<String> tagNamesOf(String digest) {
            return tags.values().stream()
                    .filter(t -> t.digest().equals(digest))
                    .map(Tag::name)
                    .toList();
        }

        boolean locked() {
            return !deleteEnabled || !writeEnabled;
        }
    }

    private final TreeMap<String, Repo> repos = new TreeMap<>();

    /** Adds or replaces a manifest with its tags (their digest is set to the manifest's). */
    public synchronized void put(String repository, Manifest m) {
        Instant t =
                m.createdTime() == null ? Instant.parse("2020-01-01T00:00:00Z") : m.createdTime();
        Repo r = repos.computeIfAbsent(repository, n -> new Repo(n, t));
        r.manifests.put(m.digest(), m.withTags(List.of()));
        for (Tag tag : m.tags()) {
            r.tags.put(
                    tag.name(),
                    new Tag(
                            tag.name(),
                            m.digest(),
                            tag.createdTime(),
                            tag.lastUpdateTime(),
                            tag.deleteEnabled(),
                            tag.writeEnabled()));
        }
    }

    /**
     * Points a tag at a manifest now, as a {@code docker push} would (a re-push moves or refreshes
     * it).
     */
    public synchronized void pushTag(String repository, String tag, String digest, Instant at) {
        Repo r = repos.get(repository);
        if (r == null || !r.manifests.containsKey(digest)) {
            throw new IllegalArgumentException("no manifest " + digest + " in " + repository);
        }
        Tag old = r.tags.get(tag);
        r.tags.put(tag, new Tag(tag, digest, old == null ? at : old.createdTime(), at, true, true));
        r.updated = at;
    }

    public synchronized void lockRepository(
            String repository, boolean deleteEnabled, boolean writeEnabled) {
        Repo r = repos.get(repository);
        r.deleteEnabled = deleteEnabled;
        r.writeEnabled = writeEnabled;
    }

    public synchronized List<String> repositories() {
        return List.copyOf(repos.keySet());
    }

    public synchronized boolean hasManifest(String repository, String digest) {
        Repo r = repos.get(repository);
        return r != null && r.manifests.containsKey(digest);
    }

    /** Every manifest digest of a repository, sorted. */
    public synchronized List<String> manifestsOf(String repository) {
        Repo r = repos.get(repository);
        return r == null ? List.of() : List.copyOf(r.manifests.keySet());
    }

    /** The digest a tag points at, or null when there is no such tag. */
    public synchronized String digestOf(String repository, String tag) {
        Repo r = repos.get(repository);
        Tag t = r == null ? null : r.tags.get(tag);
        return t == null ? null : t.digest();
    }

    public synchronized List<String> tags(String repository) {
        Repo r = repos.get(repository);
        return r == null ? List.of() : List.copyOf(r.tags.keySet());
    }

    /** The whole state as canonical text: equal snapshots mean byte-for-byte equal registries. */
    public synchronized String snapshot() {
        Map<String, Object> out = new TreeMap<>();
        for (Repo r : repos.values()) {
            Map<String, Object> repo = new LinkedHashMap<>();
            repo.put("created", r.created.toString());
            repo.put("updated", r.updated.toString());
            repo.put("deleteEnabled", r.deleteEnabled);
            repo.put("writeEnabled", r.writeEnabled);
            repo.put("manifests", new ArrayList<>(r.manifests.values()));
            repo.put("tags", new ArrayList<>(r.tags.values()));
            out.put(r.name, repo);
        }
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized Repo repo(String name) {
        return repos.get(name);
    }

    synchronized List<String> catalogPage(String last, int n) {
        NavigableMap<String, Repo> tail = last == null ? repos : repos.tailMap(last, false);
        return tail.keySet().stream().limit(n).toList();
    }

    /**
     * Deletes a manifest and its tags; ACR's answer: 202, 404 when gone, 405 when any lock forbids
     * it.
     */
    public synchronized int deleteManifest(String repository, String digest) {
        Repo r = repos.get(repository);
        if (r == null || !r.manifests.containsKey(digest)) {
            return 404;
        }
        Manifest m = r.manifests.get(digest);
        boolean tagLocked =
                r.tags.values().stream().anyMatch(t -> t.digest().equals(digest) && t.locked());
        if (r.locked() || m.locked() || tagLocked) {
            return 405;
        }
        r.manifests.remove(digest);
        r.tags.values().removeIf(t -> t.digest().equals(digest));
        if (r.manifests.isEmpty()) {
            repos.remove(repository);
        }
        return 202;
    }

    synchronized int deleteTag(String repository, String tag) {
        Repo r = repos.get(repository);
        if (r == null || !r.tags.containsKey(tag)) {
            return 404;
        }
        if (r.locked() || r.tags.get(tag).locked()) {
            return 405;
        }
        r.tags.remove(tag);
        return 202;
    }
}
