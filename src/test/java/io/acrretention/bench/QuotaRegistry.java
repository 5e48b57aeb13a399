package io.acrretention.bench;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory registry (the product's {@code SnapshotRegistry}) behind ACR's write and read
 * quotas, for runs too long for the HTTPS emulator: the same sliding window as the emulator's
 * {@code Faults}, answered with the adapter's {@link RegistryException} of kind THROTTLED and a
 * Retry-After in whole seconds, as {@code AcrErrors} maps a 429; every call waits {@code latency}.
 */
final class QuotaRegistry implements Registry {
    private final Registry inner;
    private final Window writes;
    private final Window reads;
    private final Duration latency;
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong deleteCalls = new AtomicLong();

    QuotaRegistry(
            Registry inner,
            int writesPerWindow,
            int readsPerWindow,
            Duration window,
            Duration latency) {
        this.inner = inner;
        this.writes = new Window(writesPerWindow, window);
        this.reads = new Window(readsPerWindow, window);
        this.latency = latency;
    }

    @Override
    public String loginServer() {
        return inner.loginServer();
    }

    @Override
    public List<String> repositories() {
        take(reads);
        return inner.repositories();
    }

    @Override
    public RepositoryArtifacts artifacts(String repository) {
        take(reads);
        return inner.artifacts(repository);
    }

    @Override
    public Optional<Manifest> refresh(String repository, String digest) {
        take(reads);
        return inner.refresh(repository, digest);
    }

    @Override
    public DeleteOutcome deleteManifest(String repository, String digest) {
        take(writes);
        deleteCalls.incrementAndGet();
        return inner.deleteManifest(repository, digest);
    }

    @Override
    public DeleteOutcome untag(String repository, String tag) {
        take(writes);
        return inner.untag(repository, tag);
    }

    private void take(Window w) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.NETWORK, 0, "interrupted", e);
        }
        Duration wait = w.tryTake(System.nanoTime());
        if (wait != null) {
            throttled.incrementAndGet();
            throw new RegistryException(
                    RegistryException.Kind.THROTTLED,
                    429,
                    "too many requests",
                    Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)),
                    null);
        }
    }

    /** At most {@code limit} requests in any {@code window}. */
    private static final class Window {
        private final int limit;
        private final long windowNanos;
        private final ArrayDeque<Long> taken = new ArrayDeque<>();

        Window(int limit, Duration window) {
            this.limit = limit;
            this.windowNanos = window.toNanos();
        }

        synchronized Duration tryTake(long now) {
            while (!taken.isEmpty() && now - taken.peekFirst() >= windowNanos) {
                taken.pollFirst();
            }
            if (taken.size() < limit) {
                taken.addLast(now);
                return null;
            }
            return Duration.ofNanos(taken.peekFirst() + windowNanos - now);
        }
    }
}
