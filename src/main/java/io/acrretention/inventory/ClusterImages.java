package io.acrretention.inventory;

import io.acrretention.image.ImageReference;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.IgnoredReference;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;

/**
 * The distinct images one cluster reported, filled by its source on the source's thread. When the
 * collector gives up on the cluster (time-out, deadline) it abandons the sink, and the source's
 * next call stops it: a late source never keeps listing for nothing.
 */
final class ClusterImages implements ImageSink {
    // References, not their strings: a parsed reference is shared across pods, so its hash is
    // computed once.
    record Found(ImageReference reference, String digest) {}

    private final Set<Found> images = new HashSet<>();
    private final Set<ImageReference> references = new HashSet<>();
    private final Set<IgnoredReference> ignored = new HashSet<>();
    private final Set<String> notInstalled = new TreeSet<>();
    private volatile String activity = "start";
    private volatile String abandoned;

    @Override
    public void listing(String what) {
        checkAbandoned();
        activity = what;
    }

    @Override
    public void used(ImageReference reference, String digest) {
        checkAbandoned();
        images.add(new Found(reference, digest));
        references.add(reference);
    }

    @Override
    public void ignored(String raw, String reason) {
        checkAbandoned();
        ignored.add(new IgnoredReference(raw == null ? "" : raw, reason));
    }

    @Override
    public void notInstalled(String resource) {
        checkAbandoned();
        notInstalled.add(resource);
    }

    List<String> notInstalled() {
        return List.copyOf(notInstalled);
    }

    String activity() {
        return activity;
    }

    void abandon(String why) {
        abandoned = why;
    }

    Set<Found> images() {
        return images;
    }

    Set<IgnoredReference> ignoredReferences() {
        return ignored;
    }

    /**
     * Distinct references, whatever digests they ran with: what {@link ClusterStatus#images()}
     * counts.
     */
    int distinctReferences() {
        return references.size();
    }

    private void checkAbandoned() {
        String why = abandoned;
        if (why != null) {
            throw new CancellationException(why);
        }
    }
}
