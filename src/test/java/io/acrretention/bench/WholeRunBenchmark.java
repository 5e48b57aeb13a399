package io.acrretention.bench;

import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.input.RunIds;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunSelection;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.wiring.Adapters;
import io.acrretention.wiring.LocalRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole run in dry run, as {@code acr-retention run} does it: 2,000 repositories on the
 * loopback ACR emulator with 20 ms per request, through the real SDK; prints wall time and registry
 * requests per repository, token requests, the read-quota bound and the machine's load. Run: {@code
 * bench/run WholeRunBenchmark} ({@code -Drepositories=N}, {@code -Dlatency.ms=N}, {@code
 * -Dindexes=K}: the first K manifests of each repository become multi-arch indexes with two
 * untagged platform images each, listed without {@code references} as ACR lists them, so each costs
 * one content read).
 */
public final class WholeRunBenchmark {
    private static final double PREMIUM_READS_PER_MINUTE = 10_000;

    private WholeRunBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repositories = Integer.getInteger("repositories", 2_000);
        int latencyMs = Integer.getInteger("latency.ms", 20);
        int tagsPerRepository = Integer.getInteger("tags", 25);
        int indexes = Integer.getInteger("indexes", 0);
        TestCertificates certs = TestCertificates.create("bench-ca");
        String aad = "bench-token";
        try (AcrEmulator acr = AcrEmulator.start(certs, PlannerBenchmark.REGISTRY, aad)) {
            List<String> used = new ArrayList<>();
            List<RepositoryArtifacts> generated =
                    PlannerBenchmark.generate(repositories, tagsPerRepository, 11);
            for (RepositoryArtifacts r : generated) {
                for (int i = 0; i < r.manifests().size(); i++) {
                    Manifest m = r.manifests().get(i);
                    if (i < indexes) {
                        List<String> platforms =
                                List.of(platform(m.digest(), 'a'), platform(m.digest(), 'b'));
                        for (String p : platforms) {
                            acr.state()
                                    .put(
                                            r.repository(),
                                            new Manifest(
                                                    p,
                                                    "application/vnd.oci.image.manifest.v1+json",
                                                    m.sizeBytes(),
                                                    m.createdTime(),
                                                    m.lastUpdateTime(),
                                                    true,
                                                    true,
                                                    List.of(),
                                                    List.of(),
                                                    null));
                        }
                        m =
                                new Manifest(
                                        m.digest(),
                                        "application/vnd.oci.image.index.v1+json",
                                        1_000,
                                        m.createdTime(),
                                        m.lastUpdateTime(),
                                        m.deleteEnabled(),
                                        true,
                                        m.tags(),
                                        platforms,
                                        null);
                    }
                    acr.state().put(r.repository(), m);
                }
                used.add(
                        PlannerBenchmark.REGISTRY
                                + "/"
                                + r.repository()
                                + ":"
                                + r.manifests().get(0).tagNames().get(0));
            }
            acr.faults().latency(Duration.ofMillis(latencyMs));
            RetentionConfig config =
                    ConfigParser.parse(
                            """
                    {"registries": [{"endpoint": "%s", "loginServer": "%s"}],
                     "clusters": [{"name": "prod", "kind": "endpoint", "url": "https://inventory.invalid/images",
                                   "audience": "api://x"}]}"""
                                    .formatted(acr.endpoint(), PlannerBenchmark.REGISTRY),
                            "bench");
            Clock clock = Clock.systemUTC();
            var registries =
                    Adapters.registries(
                            config,
                            AcrEmulator.credential(aad),
                            AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(30)));
            Path out = Files.createTempDirectory("whole-run");
            LocalRun run =
                    LocalRuns.of(
                            config,
                            Map.copyOf(registries),
                            new InventoryCollector(
                                    List.of(new ListedImageSource("prod", used)),
                                    config.limits(),
                                    clock),
                            new LocalDocumentStore(out),
                            clock,
                            Adapters.cleaners(config));
            long readsBefore = acr.counts().reads();
            String loadBefore = load();
            long t0 = System.nanoTime();
            LocalRun.Result result =
                    run.execute(
                            RunIds.next(clock.instant()),
                            "bench",
                            RunSelection.EVERYTHING,
                            LocalRun.Progress.NONE);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long reads = acr.counts().reads() - readsBefore;
            long tokens = acr.counts().tokenRequests();
            // Premium's read quota: 10,000 a minute; whether ACR counts token requests as reads is
            // not documented, so the bound is given both ways.
            double bound = reads * 60.0 / PREMIUM_READS_PER_MINUTE;
            double boundWithTokens = (reads + tokens) * 60.0 / PREMIUM_READS_PER_MINUTE;
            long busiest = 0;
            for (RepositoryArtifacts r : generated) {
                busiest = Math.max(busiest, acr.tokens().accessRequests(r.repository()));
            }
            System.out.printf(
                    "whole run, dry run: %d repositories x %d tags (%d indexes each), %d ms latency: "
                            + "%.1f s wall, %.2f registry requests per repository (%d in all, of which %.2f per repository "
                            + "manifest content reads; %d token requests: %d exchanges, at most %d access tokens for a "
                            + "repository; %d challenges), %d repositories done, %d writes%n",
                    repositories,
                    tagsPerRepository,
                    indexes,
                    latencyMs,
                    ms / 1000.0,
                    (double) reads / repositories,
                    reads,
                    (double) acr.counts().contentReads() / repositories,
                    tokens,
                    acr.tokens().exchanges(),
                    busiest,
                    acr.counts().challenges(),
                    result.summary().repositories().done(),
                    acr.counts().writes());
            System.out.printf(
                    "read-quota bound (Premium, 10,000 reads a minute): %.1f s; wall / bound = %.2f"
                            + " (%.2f if token requests count as reads); load average before %s, after %s%n",
                    bound, ms / 1000.0 / bound, ms / 1000.0 / boundWithTokens, loadBefore, load());
        }
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    private static String load() throws java.io.IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /**
     * A platform image's digest derived from its index's, so every run of the benchmark lists the
     * same data.
     */
    private static String platform(String indexDigest, char which) {
        return "sha256:" + which + indexDigest.substring(8);
    }
}
