package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.cleanup.Sleeper;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Action;
import io.acrretention.retention.Reason;
import io.acrretention.retention.Withheld;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.loganalytics.LogAnalyticsEmulator;
import io.acrretention.wiring.Adapters;
import io.acrretention.wiring.LocalRuns;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keepPulledWithin} through the whole command-line pipeline: the demo registry, a cluster
 * inventory, and the registry's pull logs in a loopback Log Analytics emulator, in delete mode.
 */
class PulledRecentlyEndToEndIT {
    static final TestCertificates CERTS = TestCertificates.create("pulls-e2e-ca");
    static final String WORKSPACE = "0b5f3c1e-0000-4000-8000-000000000002";

    @TempDir Path dir;
    LogAnalyticsEmulator logs;
    SnapshotRegistry registry;
    Clock clock;

    @BeforeEach
    void setUp() throws Exception {
        logs =
                new LogAnalyticsEmulator(
                        CERTS,
                        WORKSPACE,
                        TestTokens.tokenFor("https://api.loganalytics.io/.default"));
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "demo");
        }
        clock = Clock.fixed(registry.snapshotAt(), ZoneOffset.UTC);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    private LocalRun.Result run() {
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://demo.azurecr.io", "pullLogs": {"workspaceId": "%s",
                  "endpoint": "%s"}}],
                 "clusters": [],
                 "policy": {"mode": "delete", "untagged": "delete", "keepPulledWithin": "P30D"}}"""
                                .formatted(WORKSPACE, logs.base()),
                        "test");
        var http =
                new JdkHttpClientBuilder(
                                java.net.http.HttpClient.newBuilder()
                                        .sslContext(CERTS.clientContext()))
                        .responseTimeout(Duration.ofSeconds(5))
                        .build();
        InventoryCollector collector =
                new InventoryCollector(
                        List.of(
                                new ListedImageSource(
                                        "prod", List.of("demo.azurecr.io/app/api:latest"))),
                        config.limits(),
                        clock);
        Map<String, Registry> registries = Map.of(registry.loginServer(), registry);
        return LocalRuns.of(
                        config,
                        registries,
                        collector,
                        Adapters.pullLogs(config, TestTokens.perScope(), http),
                        new LocalDocumentStore(dir),
                        clock,
                        // The cleaner on the run's clock: the apply's deadline (the inventory's
                        // age) is in its time.
                        r -> new Cleaner(r, 2, Backoff.defaults(), clock, Sleeper.SYSTEM))
                .execute(
                        "20261123T000000Z-0001",
                        "test",
                        RunSelection.EVERYTHING,
                        LocalRun.Progress.NONE);
    }

    /** The oldest manifest the plan deletes when nothing was pulled. */
    private String expiredDigest() {
        return registry.artifacts("app/api").manifests().stream()
                .filter(m -> m.createdTime().isBefore(clock.instant().minus(Duration.ofDays(200))))
                .findFirst()
                .orElseThrow()
                .digest();
    }

    @Test
    void anImagePulledWithinTheWindowIsKeptWhileTheRestIsDeleted() {
        String pulled = expiredDigest();
        logs.pull(
                clock.instant().minus(Duration.ofDays(2)),
                "demo.azurecr.io",
                "ci-pipeline",
                "app/api",
                "",
                pulled);

        LocalRun.Result result = run();

        Report api =
                result.reports().stream()
                        .filter(r -> r.repository().equals("app/api"))
                        .findFirst()
                        .orElseThrow();
        ReportEntry entry =
                api.entries().stream()
                        .filter(e -> e.digest().equals(pulled))
                        .findFirst()
                        .orElseThrow();
        assertEquals(Action.KEEP, entry.action());
        assertTrue(entry.reasons().contains(Reason.PULLED), entry.toString());
        assertEquals(clock.instant().minus(Duration.ofDays(2)), entry.lastPulled());
        assertTrue(
                registry.refresh("app/api", pulled).isPresent(), "the pulled image is still there");
        assertTrue(
                api.entries().stream().anyMatch(e -> e.result() == Result.DELETED),
                "the rest is deleted");
        assertTrue(result.summary().withheld().isEmpty(), result.summary().withheld().toString());
    }

    @Test
    void pullLogsThatCannotBeReadWithholdEveryDeletion() {
        logs.failNext(0, 500, 500, 500, 500);

        LocalRun.Result result = run();

        assertEquals(
                List.of(Withheld.Cause.PULL_LOGS_UNREADABLE),
                result.summary().withheld().stream().map(Withheld::cause).distinct().toList());
        assertFalse(
                result.reports().stream()
                        .flatMap(r -> r.entries().stream())
                        .anyMatch(e -> e.result() == Result.DELETED),
                "nothing deleted");
        assertTrue(registry.refresh("app/api", expiredDigest()).isPresent());
    }
}
