package io.acrretention.registry;

import java.util.List;
import java.util.Objects;

/** Every manifest of one repository, each with its tags, as listed at one moment. */
public record RepositoryArtifacts(String registry, String repository, List<Manifest> manifests) {
    public RepositoryArtifacts {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        manifests = List.copyOf(manifests);
    }
}
