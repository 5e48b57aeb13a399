package io.acrretention.usage;

import java.util.Set;

/** What clusters use of one repository: tags by name and manifests by digest. */
public record RepositoryUsage(Set<String> tags, Set<String> digests) {
    public static final RepositoryUsage NONE = new RepositoryUsage(Set.of(), Set.of());

    public RepositoryUsage {
        tags = Set.copyOf(tags);
        digests = Set.copyOf(digests);
    }

    public boolean usesTag(String tag) {
        return tags.contains(tag);
    }

    public boolean usesDigest(String digest) {
        return digests.contains(digest);
    }
}
