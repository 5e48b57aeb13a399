package io.acrretention.testing.acr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulator was asked, by kind: authorized reads and writes, challenges, throttled, token
 * calls.
 */
public final class RequestCounts {
    final AtomicLong reads = new AtomicLong();
    final AtomicLong contentReads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong challenges = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong token = new AtomicLong();
    final AtomicLong manifestsDeleted = new AtomicLong();
    final AtomicLong tagsDeleted = new AtomicLong();
    final AtomicLong tagsPushed = new AtomicLong();

    /** Manifest DELETE requests that reached the registry (not throttled), per digest. */
    final Map<String, AtomicLong> deleteRequests = new ConcurrentHashMap<>();

    public long reads() {
        return reads.get();
    }

    /**
     * Manifest content reads ({@code GET /v2/{name}/manifests/{reference}}), a part of {@link
     * #reads()}.
     */
    public long contentReads() {
        return contentReads.get();
    }

    /** Authorized, unthrottled writes (DELETE, PATCH, PUT), whatever their answer. */
    public long writes() {
        return writes.get();
    }

    public long challenges() {
        return challenges.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public long tokenRequests() {
        return token.get();
    }

    /** Manifests really deleted (202). */
    public long manifestsDeleted() {
        return manifestsDeleted.get();
    }

    public long tagsDeleted() {
        return tagsDeleted.get();
    }

    /** Manifests pushed under a tag (201). */
    public long tagsPushed() {
        return tagsPushed.get();
    }

    public long deleteRequests(String digest) {
        AtomicLong n = deleteRequests.get(digest);
        return n == null ? 0 : n.get();
    }

    /**
     * Manifest deletes sent again for a digest that had already been sent once and reached the
     * registry.
     */
    public long duplicateDeletes() {
        return deleteRequests.values().stream().mapToLong(n -> Math.max(0, n.get() - 1)).sum();
    }
}
