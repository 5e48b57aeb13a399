package io.acrretention.registry.acr;

import static io.acrretention.registry.acr.AcrRegistryContractIT.AAD;
import static io.acrretention.registry.acr.AcrRegistryContractIT.LOGIN;
import static io.acrretention.registry.acr.AcrRegistryContractIT.digest;
import static io.acrretention.registry.acr.AcrRegistryContractIT.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.input.RunIds;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.registry.Registry.DeleteOutcome;
import io.acrretention.registry.RegistryException;
import io.acrretention.run.LocalRun;
import io.acrretention.run.RunSelection;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.wiring.Adapters;
import io.acrretention.wiring.LocalRuns;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link AcrRegistry} authenticates, against an emulator whose tokens expire, grant only what
 * was asked for and held, and can be revoked: one refresh token per registry, one access token per
 * repository, and every unexpected challenge answered once, never in a loop.
 */
class AcrAuthenticationIT {
    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("acr-auth-ca");
    }

    @BeforeEach
    void start() {
        acr = AcrEmulator.start(certs, LOGIN, AAD);
        registry =
                AcrRegistry.create(
                        acr.endpoint(),
                        LOGIN,
                        AcrEmulator.credential(AAD),
                        null,
                        Duration.ofSeconds(10),
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    /** Twelve old tagged manifests: a default policy keeps ten and plans to delete two. */
    private void repository(String name) {
        for (int i = 0; i < 12; i++) {
            acr.state().put(name, manifest(i, "1.0." + i));
        }
    }

    @Test
    void aWholeDryRunExchangesOnceAndAsksForOneAccessTokenPerRepository() throws Exception {
        List<String> names = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int r = 0; r < 12; r++) {
            names.add("team/app" + r);
            repository("team/app" + r);
            used.add(LOGIN + "/team/app" + r + ":1.0.11");
        }
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "%s", "loginServer": "%s"}],
                 "clusters": [{"name": "prod", "kind": "endpoint",
                               "url": "https://inventory.invalid/images", "audience": "api://x"}]}"""
                                .formatted(acr.endpoint(), LOGIN),
                        "test");
        Clock clock = Clock.systemUTC();
        LocalRun run =
                LocalRuns.of(
                        config,
                        Map.copyOf(
                                Adapters.registries(
                                        config,
                                        AcrEmulator.credential(AAD),
                                        AcrRegistry.httpClient(
                                                certs.clientContext(), Duration.ofSeconds(10)))),
                        new InventoryCollector(
                                List.of(new ListedImageSource("prod", used)),
                                config.limits(),
                                clock),
                        new LocalDocumentStore(Files.createTempDirectory("auth-run")),
                        clock,
                        Adapters.cleaners(config));

        LocalRun.Result result =
                run.execute(
                        RunIds.next(clock.instant()),
                        "test",
                        RunSelection.EVERYTHING,
                        LocalRun.Progress.NONE);

        assertEquals(12, result.summary().repositories().done());
        assertTrue(acr.counts().contentReads() >= 24, "the candidates' content was read (pull)");
        assertEquals(1, acr.tokens().exchanges());
        for (String name : names) {
            assertEquals(1, acr.tokens().accessRequests(name), name);
        }
        assertEquals(0, acr.counts().writes());
    }

    @Test
    void repositoriesReadInParallelShareOneRefreshTokenAndEachAsksOnce() throws Exception {
        for (int r = 0; r < 8; r++) {
            repository("app" + r);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int k = 0; k < 32; k++) {
                String name = "app" + (k % 8);
                calls.add(pool.submit(() -> registry.artifacts(name)));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, acr.tokens().exchanges());
        for (int r = 0; r < 8; r++) {
            assertEquals(1, acr.tokens().accessRequests("app" + r), "app" + r);
        }
    }

    @Test
    void deletesAfterTheFirstRepositoryAskForDeleteInTheSameTokenAsTheReads() {
        repository("a");
        repository("b");
        registry.artifacts("a");
        assertEquals(DeleteOutcome.DELETED, registry.deleteManifest("a", digest(0)));
        registry.artifacts("b");
        assertEquals(DeleteOutcome.DELETED, registry.deleteManifest("b", digest(0)));

        assertEquals(2, acr.tokens().accessRequests("a"), "reads, then reads and delete");
        assertEquals(1, acr.tokens().accessRequests("b"), "reads and delete at once");
        assertEquals(1, acr.counts().challenges(), "only the first call, to learn the service");
    }

    @Test
    void expiredRefreshAndAccessTokensAreRenewedBeforeTheRegistryRefusesThem() throws Exception {
        acr.tokens().lifetimes(Duration.ofSeconds(3), Duration.ofSeconds(2));
        repository("a");
        repository("b");
        registry.artifacts("a");
        Thread.sleep(3_200);
        registry.artifacts("a");
        registry.artifacts("b");

        assertEquals(2, acr.tokens().exchanges());
        assertEquals(2, acr.tokens().accessRequests("a"));
        assertEquals(0, acr.tokens().refused());
        assertEquals(1, acr.counts().challenges());
    }

    @Test
    void revokedTokensAreReplacedOnceAndTheCallSucceeds() {
        repository("a");
        registry.artifacts("a");
        acr.tokens().revokeAll();

        assertEquals(12, registry.artifacts("a").manifests().size());
        assertEquals(1, acr.tokens().refused(), "the revoked refresh token, then a new exchange");
        assertEquals(2, acr.tokens().exchanges());
        assertEquals(2, acr.counts().challenges());
    }

    @Test
    void anActionTheTokenLacksIsChallengedAndRecovered() {
        repository("a");
        acr.tokens().withholdOnce("pull");
        registry.artifacts("a");

        var subjects = registry.subjects("a", List.of(digest(0), digest(1)));

        assertEquals(Set.of(digest(0), digest(1)), subjects.keySet());
        assertEquals(2, acr.tokens().accessRequests("a"));
        assertEquals(2, acr.counts().challenges());
    }

    @Test
    void anActionTheIdentityDoesNotHoldFailsAfterOneRetryInsteadOfLooping() {
        acr.tokens().permit(Set.of("metadata_read", "pull"));
        repository("a");
        registry.artifacts("a");

        RegistryException e =
                assertThrows(
                        RegistryException.class, () -> registry.deleteManifest("a", digest(0)));

        assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("delete manifest " + digest(0)), e.getMessage());
        assertTrue(acr.state().hasManifest("a", digest(0)));
        assertEquals(3, acr.tokens().accessRequests("a"), "reads; with delete; once more");
        assertEquals(3, acr.counts().challenges(), "the service; the delete twice");
    }
}
