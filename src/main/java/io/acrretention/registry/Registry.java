package io.acrretention.registry;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The narrow port to a container registry. Adapters page; callers always see whole lists. SDK types
 * never cross it; failures surface as {@link RegistryException}.
 */
public interface Registry {
    /** The login server (host[:port], lower case) by which images name this registry. */
    String loginServer();

    List<String> repositories();

    RepositoryArtifacts artifacts(String repository);

    /**
     * The OCI {@code subject} of each of these manifests, read from their content: a key per
     * manifest read (an empty value when it refers to nothing); a manifest that no longer exists
     * has no key. The default serves a registry whose {@link #artifacts} already knows every
     * subject; it never guesses one it does not know.
     */
    default Map<String, Optional<String>> subjects(String repository, Collection<String> digests) {
        Map<String, Optional<String>> out = new HashMap<>();
        for (Manifest m : artifacts(repository).manifests()) {
            if (!m.subjectUnread() && digests.contains(m.digest())) {
                out.put(m.digest(), Optional.ofNullable(m.subject()));
            }
        }
        return out;
    }

    /** Re-reads one manifest with its current tags; empty when it no longer exists. */
    Optional<Manifest> refresh(String repository, String digest);

    /**
     * Deletes a manifest and so every tag on it. A manifest that is already gone is not an error.
     */
    DeleteOutcome deleteManifest(String repository, String digest);

    /** Removes one tag, leaving its manifest. A tag that is already gone is not an error. */
    DeleteOutcome untag(String repository, String tag);

    /**
     * Whether a pull of {@code repository} by {@code reference} (a digest, else a tag) would find
     * its manifest now: how a run proves afterwards that every image in use still resolves. The ACR
     * adapter asks with one {@code HEAD}; this default answers from {@link #refresh} and the
     * listing, for adapters without a cheaper way.
     */
    default boolean exists(String repository, String reference) {
        if (reference.contains(":")) {
            return refresh(repository, reference).isPresent();
        }
        return artifacts(repository).manifests().stream()
                .anyMatch(m -> m.tagNames().contains(reference));
    }

    /**
     * Points {@code tag} at the manifest {@code digest} again (restore from quarantine) by pushing
     * the manifest's own bytes under the tag, so the digest cannot change. A tag that now points at
     * another manifest is left alone ({@link RestoreOutcome#TAG_TAKEN}). Needs push permission.
     * Adapters that cannot write (test doubles of the cleaner) keep this default.
     */
    default RestoreOutcome restoreTag(String repository, String digest, String tag) {
        throw new UnsupportedOperationException("registry " + loginServer() + " cannot push tags");
    }

    enum DeleteOutcome {
        DELETED,
        ALREADY_GONE
    }

    enum RestoreOutcome {
        /** The tag points at the manifest again. */
        RESTORED,
        /** The tag already pointed at the manifest: nothing to do. */
        ALREADY_THERE,
        /** The tag points at another manifest now; it was left alone. */
        TAG_TAKEN,
        /** The manifest no longer exists: nothing to put a tag on. */
        MANIFEST_GONE
    }
}
