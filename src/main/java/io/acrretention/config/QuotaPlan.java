package io.acrretention.config;

import java.time.Duration;

/**
 * What a registry's quota means for one function instance and for the host (docs/performance.md,
 * "How many writers to run"). Pure: the cleaner's wiring and the deployment templates both follow
 * it, and a test holds the templates to it.
 *
 * <p>The quota is the registry's, shared by every instance, and on Flex Consumption the app cannot
 * be held below 40 instances. So no fixed share per instance is right: one instance alone must be
 * able to use all of it, and forty must not overrun it. Each instance paces its deletes with an
 * additive-increase, multiplicative-decrease rate ({@code WritePacer}): it starts at half the
 * quota, grows back to {@link #writesPerSecond} over half a window while nothing is throttled, and
 * halves at a 429. The registry's 429 with its Retry-After, waited out by every worker of the
 * instance, is what holds the aggregate at the quota whatever the number of instances; the pacing
 * only keeps those 429s few.
 *
 * @param deleteConcurrency writes in flight per cleaner: enough to reach {@link #writesPerSecond}
 *     at {@link #SECONDS_PER_DELETE}, never more than {@code limits.deleteConcurrency}
 * @param writesPerSecond the most one instance sends: 95% of the quota (the lower of writes and
 *     reads, since each delete is read again just before it)
 * @param startWritesPerSecond where an instance's pacing starts
 * @param window the quota's window; the pacing's ramp and hold times are fractions of it
 * @param batchSize the queue's {@code batchSize}: messages (repositories) an instance takes at once
 * @param newBatchThreshold the queue's {@code newBatchThreshold}: with {@code batchSize}, the most
 *     repositories one instance works on at once
 * @param maximumInstanceCount the app's {@code maximumInstanceCount}
 */
public record QuotaPlan(
        int deleteConcurrency,
        double writesPerSecond,
        double startWritesPerSecond,
        Duration window,
        int batchSize,
        int newBatchThreshold,
        int maximumInstanceCount) {
    /** The share of the quota one instance may use: the rest absorbs latency jitter. */
    static final double SHARE = 0.95;

    /** A delete's two round trips (the re-read and the delete), at up to 125 ms each. */
    static final double SECONDS_PER_DELETE = 0.25;

    /**
     * Registry reads one repository's listing keeps busy a second (three to twelve requests one
     * after the other, about 0.15 s each).
     */
    static final double READS_PER_REPOSITORY_SECOND = 6;

    /** Flex Consumption's lowest {@code maximumInstanceCount} (azurerm validates 40 to 1000). */
    public static final int FLEX_MIN_INSTANCES = 40;

    public static final int FLEX_MAX_INSTANCES = 1000;

    /** ACR counts its quotas a minute. */
    public static final Duration ACR_WINDOW = Duration.ofMinutes(1);

    /** How long an instance's pacing takes to grow from nothing to {@link #writesPerSecond}. */
    public Duration ramp() {
        return window.dividedBy(2);
    }

    /**
     * After a 429 cut the pacing, how long further 429s do not cut it again: those of the same
     * overrun arrive together.
     */
    public Duration hold() {
        return window.dividedBy(20);
    }

    /**
     * @param concurrencyCap {@code limits.deleteConcurrency}, the most the user allows
     */
    public static QuotaPlan of(RegistryQuota quota, int concurrencyCap) {
        return of(quota, concurrencyCap, ACR_WINDOW);
    }

    /** The same for a quota counted over another window (benchmarks run a shorter one). */
    public static QuotaPlan of(RegistryQuota quota, int concurrencyCap, Duration window) {
        double perSecond = Math.min(quota.writesPerMinute(), quota.readsPerMinute()) / 60.0 * SHARE;
        int concurrency =
                (int)
                        Math.max(
                                1,
                                Math.min(
                                        concurrencyCap,
                                        Math.ceil(perSecond * SECONDS_PER_DELETE - 1e-9)));
        // Repositories listed at once that keep the read quota busy; more only wait for it.
        int repositories =
                (int) Math.ceil(quota.readsPerMinute() / 60.0 / READS_PER_REPOSITORY_SECOND);
        // Instances are the one thing Flex gives at least 40 of, so each takes one repository at
        // a time until 40 are not enough.
        int batch =
                (int)
                        Math.min(
                                4,
                                Math.max(1, Math.ceil(repositories / (double) FLEX_MIN_INSTANCES)));
        int instances =
                (int)
                        Math.min(
                                FLEX_MAX_INSTANCES,
                                Math.max(
                                        FLEX_MIN_INSTANCES,
                                        Math.ceil(repositories / (double) batch)));
        return new QuotaPlan(
                concurrency, perSecond, perSecond / 2, window, batch, batch / 2, instances);
    }
}
