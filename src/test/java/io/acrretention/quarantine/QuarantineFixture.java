package io.acrretention.quarantine;

import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Sleeper;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.Tag;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.run.InventoryCache;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.store.DocumentStore;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs of one repository over simulated days: the real SDK against the ACR emulator, documents in
 * Azurite, the same {@link RepositoryProcessor} the queue function uses, and a clock the test
 * moves.
 */
final class QuarantineFixture implements AutoCloseable {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String REPO = "app/api";
    static final String AAD = "aad-token-for-quarantine";
    static final String CONFIG =
            """
            {"registries": [{"endpoint": "https://127.0.0.1:1", "loginServer": "mactemp.azurecr.io"}], "clusters": [],
             "policy": {"mode": "delete", "keepRecent": 1, "keepRecentPerBranch": [], "keepYoungerThan": "P30D",
                        "quarantine": {"grace": "P14D"}}}""";

    final Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    final TestCertificates certs = TestCertificates.create("quarantine-ca");
    final AcrEmulator acr = AcrEmulator.start(certs, LOGIN, AAD);
    final AcrRegistry registry =
            AcrRegistry.create(
                    acr.endpoint(),
                    LOGIN,
                    AcrEmulator.credential(AAD),
                    null,
                    Duration.ofSeconds(10),
                    AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
    final DocumentStore store = new BlobDocumentStore(Azurite.get().newContainer("quarantine"));
    final QuarantineStore records = new QuarantineStore(store);
    final RetentionConfig config;
    Instant now = start;
    private int runs;

    QuarantineFixture(String config) {
        this.config = ConfigParser.parse(config, "test");
    }

    QuarantineFixture() {
        this(CONFIG);
    }

    static String digest(String label) {
        return io.acrretention.testing.Repo.digest(label);
    }

    /** An image pushed {@code ageDays} before the fixture's start, with its tags. */
    QuarantineFixture image(String label, double ageDays, String... tags) {
        Instant t = start.minus(Duration.ofMinutes(Math.round(ageDays * 24 * 60)));
        String d = digest(label);
        acr.state()
                .put(
                        REPO,
                        new Manifest(
                                d,
                                "application/vnd.oci.image.manifest.v1+json",
                                1000,
                                t,
                                t,
                                true,
                                true,
                                Arrays.stream(tags).map(n -> Tag.of(n, d, t)).toList(),
                                List.of(),
                                null));
        return this;
    }

    void day(double days) {
        now = start.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    Report run(String... used) {
        return run(r -> r, used);
    }

    /**
     * One run of the repository at {@link #now}, clusters using {@code used}; the registry seen
     * through {@code wrap}.
     */
    Report run(UnaryOperator<Registry> wrap, String... used) {
        String runId = String.format("20261123T0000%02dZ-%04x", runs % 60, runs);
        runs++;
        List<UsedImage> images =
                Arrays.stream(used).map(r -> new UsedImage(r, null, List.of("prod"))).toList();
        UsedImages inventory =
                new UsedImages(
                        runId,
                        now,
                        true,
                        List.of(ClusterStatus.ok("prod", images.size(), 10)),
                        images,
                        List.of());
        RunDocuments documents = new RunDocuments(store);
        documents.saveInventory(inventory);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of(LOGIN, wrap.apply(registry)),
                        new InventoryCache(documents),
                        documents,
                        r -> new Cleaner(r, 2, Backoff.defaults(), clock, Sleeper.SYSTEM),
                        id -> DeleteBudget.inMemory(1000),
                        clock);
        return processor
                .process(
                        new RepositoryMessage(
                                1,
                                runId,
                                LOGIN,
                                REPO,
                                RunDocuments.inventoryPath(runId),
                                Mode.DELETE),
                        Instant.MAX)
                .report();
    }

    Restorer restorer() {
        return new Restorer(Map.of(LOGIN, registry), store, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Override
    public void close() {
        acr.close();
    }
}
