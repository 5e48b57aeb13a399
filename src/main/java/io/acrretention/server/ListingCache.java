package io.acrretention.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One listing answers every caller for {@code ttl}, and callers that arrive while a listing runs
 * wait for that one: a burst of callers costs the API server one listing. A failed listing is not
 * kept, so the next caller after it tries again.
 */
final class ListingCache {
    private final Supplier<Listing> lister;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private Listing cached;
    private long cachedAt;
    private CompletableFuture<Listing> inFlight;

    ListingCache(Supplier<Listing> lister, Duration ttl, LongSupplier nanoTime) {
        this.lister = lister;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    Listing get() {
        CompletableFuture<Listing> mine;
        synchronized (this) {
            if (cached != null && nanoTime.getAsLong() - cachedAt < ttlNanos) {
                return cached;
            }
            if (inFlight != null) {
                mine = inFlight;
            } else {
                inFlight = new CompletableFuture<>();
                mine = null;
            }
        }
        if (mine != null) {
            return mine.join();
        }
        Listing result = null;
        try {
            result = lister.get();
        } catch (RuntimeException e) {
            result = Listing.failed("listing the cluster failed: " + e);
        } finally {
            // Even an Error must release the callers waiting for this listing.
            Listing outcome =
                    result != null ? result : Listing.failed("listing the cluster failed");
            CompletableFuture<Listing> done;
            synchronized (this) {
                done = inFlight;
                inFlight = null;
                if (outcome.isOk()) {
                    cached = outcome;
                    cachedAt = nanoTime.getAsLong();
                }
            }
            done.complete(outcome);
        }
        return result;
    }
}
