package io.acrretention.quarantine;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One repository in memory behind the registry port, for properties that run thousands of simulated
 * days; tags are stored apart from manifests as a registry does, so a tag moves between manifests
 * by name.
 */
final class MemoryRegistry implements Registry {
    private final String login;
    private final String repository;
    private final Supplier<Instant> clock;
    private final Map<String, Manifest> manifests = new TreeMap<>();
    private final Map<String, Tag> tags = new TreeMap<>();

    MemoryRegistry(String login, String repository, Supplier<Instant> clock) {
        this.login = login;
        this.repository = repository;
        this.clock = clock;
    }

    synchronized void put(Manifest m) {
        manifests.put(m.digest(), m.withTags(List.of()));
        m.tags().forEach(t -> tags.put(t.name(), t));
    }

    /** An outside push of a tag onto an existing manifest. */
    synchronized void pushTag(String tag, String digest) {
        tags.put(tag, Tag.of(tag, digest, clock.get()));
    }

    synchronized List<String> digests() {
        return List.copyOf(manifests.keySet());
    }

    synchronized List<String> tagsOf(String digest) {
        return tags.values().stream()
                .filter(t -> t.digest().equals(digest))
                .map(Tag::name)
                .toList();
    }

    @Override
    public String loginServer() {
        return login;
    }

    @Override
    public synchronized List<String> repositories() {
        return List.of(repository);
    }

    @Override
    public synchronized RepositoryArtifacts artifacts(String repo) {
        List<Manifest> out = new ArrayList<>();
        manifests.values().forEach(m -> out.add(withTags(m)));
        return new RepositoryArtifacts(login, repo, out);
    }

    @Override
    public synchronized Optional<Manifest> refresh(String repo, String digest) {
        return Optional.ofNullable(manifests.get(digest)).map(this::withTags);
    }

    @Override
    public synchronized DeleteOutcome deleteManifest(String repo, String digest) {
        if (manifests.remove(digest) == null) {
            return DeleteOutcome.ALREADY_GONE;
        }
        tags.values().removeIf(t -> t.digest().equals(digest));
        return DeleteOutcome.DELETED;
    }

    @Override
    public synchronized DeleteOutcome untag(String repo, String tag) {
        return tags.remove(tag) == null ? DeleteOutcome.ALREADY_GONE : DeleteOutcome.DELETED;
    }

    @Override
    public synchronized RestoreOutcome restoreTag(String repo, String digest, String tag) {
        Tag t = tags.get(tag);
        if (t != null) {
            return t.digest().equals(digest)
                    ? RestoreOutcome.ALREADY_THERE
                    : RestoreOutcome.TAG_TAKEN;
        }
        if (!manifests.containsKey(digest)) {
            return RestoreOutcome.MANIFEST_GONE;
        }
        tags.put(tag, Tag.of(tag, digest, clock.get()));
        return RestoreOutcome.RESTORED;
    }

    private Manifest withTags(Manifest m) {
        return m.withTags(
                tags.values().stream().filter(t -> t.digest().equals(m.digest())).toList());
    }
}
