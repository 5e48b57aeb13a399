package io.acrretention.inventory;

import io.acrretention.image.ImageReference;

/**
 * Where a source puts what it finds while it lists, so that nothing proportional to the number of
 * pods is held in memory: only distinct references are kept.
 */
public interface ImageSink {
    /**
     * What the source is doing now (e.g. {@code list replicasets}), so a time-out can say where it
     * stopped.
     */
    void listing(String activity);

    /** An image in use; {@code digest} is the digest that runs, or null when not known. */
    void used(ImageReference reference, String digest);

    /** A string reported as an image that is not a usable reference, with the reason. */
    void ignored(String raw, String reason);

    /**
     * A configured optional resource (a custom resource) whose API the cluster does not have:
     * nothing of it is in use there, and that is no failure.
     */
    default void notInstalled(String resource) {}

    /** Parses {@code raw} and records it as used (with {@code digest}) or ignored. */
    default void usedOrIgnored(String raw, String digest) {
        try {
            used(ImageReference.parse(raw), digest);
        } catch (io.acrretention.image.InvalidImageReferenceException e) {
            ignored(raw, e.reason());
        }
    }
}
