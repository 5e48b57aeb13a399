package io.acrretention.registry;

import java.util.List;
import java.util.Optional;

/**
 * The narrow port to a container registry. Adapters page; callers always see whole lists. SDK types never
 * cross it; failures surface as {@link RegistryException}.
 */
public interface Registry {
    /** The login server (host[:port], lower case) by which images name this registry. */
    String loginServer();

    List<String> repositories();

    RepositoryArtifacts artifacts(String repository);

    /** Re-reads one manifest with its current tags; empty when it no longer exists. */
    Optional<Manifest> refresh(String repository, String digest);

    /** Deletes a manifest and so every tag on it. A manifest that is already gone is not an error. */
    DeleteOutcome deleteManifest(String repository, String digest);

    /** Removes one tag, leaving its manifest. A tag that is already gone is not an error. */
    DeleteOutcome untag(String repository, String tag);

    /**
     * Points {@code tag} at the manifest {@code digest} again (restore from quarantine) by pushing the manifest's
     * own bytes under the tag, so the digest cannot change. A tag that now points at another manifest is left
     * alone ({@link RestoreOutcome#TAG_TAKEN}). Needs push permission. Adapters that cannot write (test doubles of
     * the cleaner) keep this default.
     */
    default RestoreOutcome restoreTag(String repository, String digest, String tag) {
        throw new UnsupportedOperationException("registry " + loginServer() + " cannot push tags");
    }

    enum DeleteOutcome { DELETED, ALREADY_GONE }

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
