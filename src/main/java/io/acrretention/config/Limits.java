package io.acrretention.config;

import java.time.Duration;

/**
 * Bounds on a run's time, size and concurrency.
 *
 * @param clusterTimeout how long one cluster may take to list
 * @param inventoryDeadline how long collecting all clusters may take
 * @param maxResponseBytes the largest inventory response (one page or one endpoint body) accepted
 * @param deleteConcurrency registry writes in flight at once
 * @param requestTimeout one HTTP call to a registry or cluster
 * @param repositoryConcurrency repositories the command line works on at once (the functions scale
 *     by instances and the queue batch size instead)
 */
public record Limits(
        Duration clusterTimeout,
        Duration inventoryDeadline,
        long maxResponseBytes,
        int deleteConcurrency,
        Duration requestTimeout,
        int repositoryConcurrency) {
    public static Limits defaults() {
        return new Limits(
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                32L * 1024 * 1024,
                8,
                Duration.ofSeconds(30),
                16);
    }
}
