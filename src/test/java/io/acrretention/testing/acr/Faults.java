package io.acrretention.testing.acr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Misbehaviour on demand: latency, 429 storms, 429s and 5xx on chosen requests, a failing delete,
 * ACR's per-minute quotas, state hooks, and registry changes that land exactly where the cleaner is
 * most exposed (during a Retry-After wait, while an index's children are about to go).
 */
public final class Faults {
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger stormLeft = new AtomicInteger();
    private volatile Duration stormRetryAfter = Duration.ofSeconds(1);
    private final Map<String, Integer> failingDeletes = new ConcurrentHashMap<>();
    private volatile Quota writeQuota;
    private volatile Quota readQuota;
    private volatile BiConsumer<String, String> hook = (method, path) -> {};

    /**
     * One-shot changes made instead of a write, which is answered 429: keyed by route kind and
     * reference.
     */
    private final Map<String, Interference> onFirstWrite = new ConcurrentHashMap<>();

    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();

    /** A change to the registry and the Retry-After of the 429 that hides it from the writer. */
    record Interference(Consumer<EmulatorState> change, Duration retryAfter) {}

    /** A one-shot change made before the first request whose path names one of {@code digests}. */
    private record Trigger(
            Set<String> digests, Consumer<EmulatorState> change, AtomicBoolean fired) {}

    private final List<Matching> matching = new CopyOnWriteArrayList<>();

    /** An injected answer: its status, and for a 429 its Retry-After in seconds. */
    record Answer(int status, long retryAfterSeconds) {}

    /**
     * Answers the next {@code left} authorized requests whose path and query contain {@code
     * marker}.
     */
    private static final class Matching {
        final String marker;
        final Answer answer;
        final AtomicInteger left;

        Matching(String marker, Answer answer, int times) {
            this.marker = marker;
            this.answer = answer;
            this.left = new AtomicInteger(times);
        }
    }

    /** Every request, token calls included, is answered this much later. */
    public Faults latency(Duration d) {
        latency = d;
        return this;
    }

    /**
     * The next {@code n} authorized data-plane requests get 429 with this Retry-After (whole
     * seconds).
     */
    public Faults throttleNext(int n, Duration retryAfter) {
        stormRetryAfter = retryAfter;
        stormLeft.set(n);
        return this;
    }

    /**
     * The next {@code times} authorized requests whose decoded path and query contain {@code
     * marker} (e.g. {@code "/_tags?last="} for every tag page after the first) get 429 with this
     * Retry-After in whole seconds (0 is what ACR sends on ordinary answers, and keeps tests fast).
     */
    public Faults throttleMatching(String marker, int times, long retryAfterSeconds) {
        matching.add(new Matching(marker, new Answer(429, retryAfterSeconds), times));
        return this;
    }

    /**
     * The next {@code times} authorized requests whose decoded path and query contain {@code
     * marker} get {@code status}.
     */
    public Faults failMatching(String marker, int times, int status) {
        matching.add(new Matching(marker, new Answer(status, -1), times));
        return this;
    }

    /** Every delete of this manifest is answered with this status (e.g. 500) until cleared. */
    public Faults failDeletes(String digest, int status) {
        failingDeletes.put(digest, status);
        return this;
    }

    /**
     * ACR's WriteOps per minute (Basic 100, Standard 500, Premium 2,000): over it, 429 with
     * Retry-After until the sliding window frees a slot. A shorter window with a proportional limit
     * keeps a benchmark short.
     */
    public Faults writeQuota(int limit, Duration window) {
        writeQuota = new Quota(limit, window);
        return this;
    }

    /** ACR's ReadOps per minute (Basic 1,000, Standard 3,000, Premium 10,000). */
    public Faults readQuota(int limit, Duration window) {
        readQuota = new Quota(limit, window);
        return this;
    }

    /**
     * Called with (method, path and query) before each request is handled: changes state between
     * calls.
     */
    public Faults onRequest(BiConsumer<String, String> h) {
        hook = h;
        return this;
    }

    /**
     * The first delete of this manifest does not delete it: someone tags it (a release pins it) and
     * the registry answers 429. A writer that retries after the wait without reading again deletes
     * a tagged image.
     */
    public Faults tagOnFirstDelete(
            String repository, String digest, String tag, Duration retryAfter) {
        onFirstWrite.put(
                AcrRoutes.Kind.DELETE_MANIFEST + " " + digest,
                new Interference(
                        s -> s.pushTag(repository, tag, digest, Instant.now()), retryAfter));
        return this;
    }

    /**
     * The first removal of this tag does not remove it: a new build is pushed under the same tag
     * (it now names {@code toDigest}) and the registry answers 429. A retried untag would then take
     * the tag off the new build.
     */
    public Faults rePushOnFirstUntag(
            String repository, String tag, String toDigest, Duration retryAfter) {
        onFirstWrite.put(
                AcrRoutes.Kind.DELETE_TAG + " " + tag,
                new Interference(
                        s -> s.pushTag(repository, tag, toDigest, Instant.now()), retryAfter));
        return this;
    }

    /**
     * Before the first request that names any of an index's children (a re-read or a delete: they
     * are about to go), the index is tagged, as a release that pins it would; nothing happens when
     * the index is already gone.
     */
    public Faults tagIndexWhenChildrenAreTouched(
            String repository, String index, String tag, Set<String> children) {
        triggers.add(
                new Trigger(
                        Set.copyOf(children),
                        s -> {
                            if (s.hasManifest(repository, index)) {
                                s.pushTag(repository, tag, index, Instant.now());
                            }
                        },
                        new AtomicBoolean()));
        return this;
    }

    /** The armed one-shot change for this write, taken (so it happens once), or null. */
    Interference interfere(AcrRoutes.Route route) {
        return route.write() ? onFirstWrite.remove(route.kind() + " " + route.reference()) : null;
    }

    void beforeRequest(String method, String pathAndQuery, EmulatorState state)
            throws InterruptedException {
        for (Trigger t : triggers) {
            if (t.digests().stream().anyMatch(pathAndQuery::contains)
                    && t.fired().compareAndSet(false, true)) {
                t.change().accept(state);
            }
        }
        hook.accept(method, pathAndQuery);
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
    }

    /**
     * Retry-After for a request that must be throttled now, else null (and the request counts
     * against the quota).
     */
    Duration throttle(boolean write) {
        if (stormLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return stormRetryAfter;
        }
        Quota q = write ? writeQuota : readQuota;
        return q == null ? null : q.tryTake(System.nanoTime());
    }

    /**
     * The injected answer for this request, if a {@link #throttleMatching}/{@link #failMatching}
     * rule takes it.
     */
    Answer matchingFailure(String pathAndQuery) {
        for (Matching m : matching) {
            if (pathAndQuery.contains(m.marker)
                    && m.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return m.answer;
            }
        }
        return null;
    }

    Integer deleteFailure(String digest) {
        return failingDeletes.get(digest);
    }

    /** A sliding window: at most {@code limit} requests in any {@code window}. */
    private static final class Quota {
        private final int limit;
        private final long windowNanos;
        private final ArrayDeque<Long> taken = new ArrayDeque<>();

        Quota(int limit, Duration window) {
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
