package io.acrretention.bench;

import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.CleanupRequest;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Result;
import io.acrretention.config.Limits;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Reason;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.RepositoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes per minute against a Premium registry's quota: the emulator answers every request 20 ms
 * late and allows 2,000 writes and 10,000 reads per sliding minute (429 + Retry-After beyond). The
 * real SDK adapter and the cleaner at its default concurrency delete every manifest of one
 * repository, half of them tagged.
 *
 * <p>The figure that counts: deletes per full quota window against the quota (a sliding window
 * allows at most the quota in any window, so a partial last window would flatter the rate).
 * Settings via system properties ({@code BENCH_JAVA_OPTS}): {@code -Dbench.manifests=5000
 * -Dbench.window=60}; a shorter window scales both quotas down proportionally (e.g. {@code
 * -Dbench.window=15}: 500 writes and 2,500 reads per 15 s).
 */
public final class CleanupBenchmark {
    private CleanupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int manifests = Integer.getInteger("bench.manifests", 5000);
        int windowSeconds = Integer.getInteger("bench.window", 60);
        Duration window = Duration.ofSeconds(windowSeconds);
        int writeQuota = 2000 * windowSeconds / 60;
        int readQuota = 10000 * windowSeconds / 60;
        TestCertificates certs = TestCertificates.create("bench-ca");
        try (AcrEmulator acr = AcrEmulator.start(certs, "bench.azurecr.io", "aad")) {
            Instant old = Instant.parse("2023-01-01T00:00:00Z");
            for (int i = 0; i < manifests; i++) {
                String digest = "sha256:" + String.format("%064x", i);
                List<Tag> tags = i % 2 == 0 ? List.of(Tag.of("t" + i, digest, old)) : List.of();
                acr.state()
                        .put(
                                "bench/app",
                                new Manifest(
                                        digest, null, 1000, old, old, true, true, tags, List.of(),
                                        null));
            }
            AcrRegistry registry =
                    AcrRegistry.create(
                            acr.endpoint(),
                            "bench.azurecr.io",
                            AcrEmulator.credential("aad"),
                            null,
                            Duration.ofSeconds(30),
                            AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(30)));
            long listStart = System.nanoTime();
            List<Manifest> listed = registry.artifacts("bench/app").manifests();
            double listSeconds = (System.nanoTime() - listStart) / 1e9;
            List<Decision> ds =
                    listed.stream()
                            .map(
                                    m ->
                                            new Decision(
                                                    m.digest(),
                                                    null,
                                                    m.tagNames(),
                                                    m.createdTime(),
                                                    m.lastUpdateTime(),
                                                    m.sizeBytes(),
                                                    Action.DELETE,
                                                    List.of(),
                                                    List.of(Reason.EXPIRED),
                                                    Map.of(),
                                                    m.children(),
                                                    m.subject(),
                                                    null))
                            .toList();
            Plan plan = new Plan("bench.azurecr.io", "bench/app", Instant.now(), ds);

            acr.faults()
                    .latency(Duration.ofMillis(20))
                    .writeQuota(writeQuota, window)
                    .readQuota(readQuota, window);
            int concurrency = Limits.defaults().deleteConcurrency();
            Cleaner cleaner = new Cleaner(registry, concurrency);
            List<Long> atBoundary = new java.util.concurrent.CopyOnWriteArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(
                    () -> atBoundary.add(acr.counts().manifestsDeleted()),
                    windowSeconds,
                    windowSeconds,
                    TimeUnit.SECONDS);
            Report report =
                    cleaner.apply(
                            new CleanupRequest(
                                    "bench",
                                    plan,
                                    RepositoryUsage.NONE,
                                    Mode.DELETE,
                                    List.of(),
                                    DeleteBudget.inMemory(Long.MAX_VALUE),
                                    0,
                                    Instant.now().plus(Duration.ofHours(1))));
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.shutdownNow();

            long deleted = report.totals().results().getOrDefault(Result.DELETED, 0L);
            long failed = report.totals().results().getOrDefault(Result.FAILED, 0L);
            double overall = deleted / (seconds / 60);
            int fullWindows = atBoundary.size();
            long inFullWindows = fullWindows == 0 ? 0 : atBoundary.get(fullWindows - 1);
            double perWindowRatio =
                    fullWindows == 0
                            ? Double.NaN
                            : inFullWindows / (double) (fullWindows * writeQuota);
            System.out.printf(
                    "manifests=%d listed=%d in %.1f s; window=%d s, write quota=%d, read quota=%d,"
                            + " latency=20 ms, concurrency=%d%n",
                    manifests,
                    listed.size(),
                    listSeconds,
                    windowSeconds,
                    writeQuota,
                    readQuota,
                    concurrency);
            System.out.printf(
                    "elapsed=%.1f s deleted=%d failed=%d duplicateDeletes=%d results=%s%n",
                    seconds,
                    deleted,
                    failed,
                    acr.counts().duplicateDeletes(),
                    report.totals().results());
            System.out.printf(
                    "deletes/min overall=%.0f (elapsed includes a partial last window)%n", overall);
            System.out.printf(
                    "deleted at each window boundary=%s; over %d full window(s): %.0f deletes/min,"
                            + " ratio to quota=%.2f (target >= 0.9)%n",
                    atBoundary,
                    fullWindows,
                    inFullWindows / (fullWindows * windowSeconds / 60.0),
                    perWindowRatio);
            System.out.printf(
                    "requests: reads=%d writes=%d throttled=%d challenges=%d token=%d%n",
                    acr.counts().reads(),
                    acr.counts().writes(),
                    acr.counts().throttled(),
                    acr.counts().challenges(),
                    acr.counts().tokenRequests());
        }
    }
}
