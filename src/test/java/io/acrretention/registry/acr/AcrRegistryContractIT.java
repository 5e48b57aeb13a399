package io.acrretention.registry.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry.DeleteOutcome;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real SDK client ({@link AcrRegistry}) against the loopback ACR emulator. */
class AcrRegistryContractIT {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String AAD = "aad-token-for-tests";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("acr-test-ca");
    }

    @BeforeEach
    void start() {
        acr = AcrEmulator.start(certs, LOGIN, AAD).pageSize(2);
        registry = connect(AAD);
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    AcrRegistry connect(String aadToken) {
        return AcrRegistry.create(
                acr.endpoint(),
                LOGIN,
                AcrEmulator.credential(aadToken),
                null,
                Duration.ofSeconds(10),
                AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
    }

    static String digest(int i) {
        return "sha256:" + String.format("%064x", i);
    }

    static Manifest manifest(int i, String... tags) {
        Instant created = T0.plusSeconds(i);
        List<Tag> ts = new ArrayList<>();
        for (int k = 0; k < tags.length; k++) {
            ts.add(
                    new Tag(
                            tags[k],
                            digest(i),
                            created.plusSeconds(k),
                            created.plusSeconds(10 + k),
                            true,
                            true));
        }
        return new Manifest(
                digest(i),
                "application/vnd.oci.image.manifest.v1+json",
                1000 + i,
                created,
                created.plusSeconds(5),
                true,
                true,
                ts,
                List.of(),
                null);
    }

    @Test
    void repositoriesAreListedAcrossEveryPage() {
        for (int i = 0; i < 7; i++) {
            acr.state().put("team/app" + i, manifest(i, "v1"));
        }
        assertEquals(acr.state().repositories(), registry.repositories());
        assertEquals(7, registry.repositories().size());
    }

    @Test
    void artifactsCarryEveryManifestAndTagAcrossPagesWithTheirOwnTimes() {
        for (int i = 0; i < 7; i++) {
            acr.state().put("app/api", manifest(i, "a" + i, "b" + i));
        }
        Manifest index =
                new Manifest(
                        digest(50),
                        null,
                        10,
                        T0,
                        T0,
                        true,
                        true,
                        List.of(),
                        List.of(digest(1), digest(2)),
                        null);
        acr.state().put("app/api", index);

        RepositoryArtifacts listed = registry.artifacts("app/api");

        assertEquals(LOGIN, listed.registry());
        assertEquals(8, listed.manifests().size());
        Manifest m3 =
                listed.manifests().stream()
                        .filter(m -> m.digest().equals(digest(3)))
                        .findFirst()
                        .orElseThrow();
        assertEquals(1003, m3.sizeBytes());
        assertEquals(T0.plusSeconds(3), m3.createdTime());
        assertEquals(T0.plusSeconds(8), m3.lastUpdateTime());
        assertEquals(List.of("a3", "b3"), m3.tagNames());
        assertEquals(T0.plusSeconds(14), m3.tags().get(1).lastUpdateTime());
        assertFalse(m3.locked());
        Manifest idx =
                listed.manifests().stream()
                        .filter(m -> m.digest().equals(digest(50)))
                        .findFirst()
                        .orElseThrow();
        assertEquals(List.of(digest(1), digest(2)), idx.children());
    }

    @Test
    void aRepositoryLockMakesEveryManifestLocked() {
        acr.state().put("app/locked", manifest(1, "v1"));
        acr.state().put("app/locked", manifest(2));
        acr.state().lockRepository("app/locked", false, true);

        assertTrue(
                registry.artifacts("app/locked").manifests().stream().allMatch(Manifest::locked));
    }

    @Test
    void aTagLockIsReadFromTheTagListing() {
        Manifest m = manifest(1, "v1");
        acr.state()
                .put("app/api", m.withTags(List.of(new Tag("v1", digest(1), T0, T0, false, true))));

        assertTrue(registry.artifacts("app/api").manifests().get(0).tags().get(0).locked());
    }

    @Test
    void aWrongEntraTokenFailsAsUnauthorized() {
        acr.state().put("app/api", manifest(1, "v1"));
        RegistryException e =
                assertThrows(RegistryException.class, () -> connect("stolen").repositories());
        assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(
                e.getMessage().startsWith("list repositories on " + LOGIN + " failed: 401"),
                e.getMessage());
    }

    @Test
    void deletesAndUntagsLandAndA404IsAlreadyGone() {
        acr.state().put("app/api", manifest(1, "v1", "v2"));
        acr.state().put("app/api", manifest(2));

        assertEquals(DeleteOutcome.DELETED, registry.untag("app/api", "v1"));
        assertEquals(DeleteOutcome.ALREADY_GONE, registry.untag("app/api", "v1"));
        assertEquals(List.of("v2"), acr.state().tags("app/api"));
        assertEquals(DeleteOutcome.DELETED, registry.deleteManifest("app/api", digest(2)));
        assertEquals(DeleteOutcome.ALREADY_GONE, registry.deleteManifest("app/api", digest(2)));
        assertFalse(acr.state().hasManifest("app/api", digest(2)));
    }

    @Test
    void theLastManifestTakesItsRepositoryWithIt() {
        acr.state().put("app/one", manifest(1));
        registry.deleteManifest("app/one", digest(1));
        assertEquals(List.of(), registry.repositories());
    }

    @Test
    void aLockedManifestIsRefusedAsLocked() {
        Manifest m = manifest(1, "v1");
        acr.state()
                .put(
                        "app/api",
                        new Manifest(
                                m.digest(),
                                null,
                                1,
                                T0,
                                T0,
                                false,
                                true,
                                m.tags(),
                                List.of(),
                                null));

        RegistryException e =
                assertThrows(
                        RegistryException.class,
                        () -> registry.deleteManifest("app/api", digest(1)));
        assertEquals(RegistryException.Kind.LOCKED, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "delete manifest "
                                        + digest(1)
                                        + " in app/api on "
                                        + LOGIN
                                        + " failed: 405 REGISTRY_DISALLOWED_OPERATION"),
                e.getMessage());
    }

    @Test
    void refreshReadsCurrentTagsAndIsEmptyWhenGone() {
        acr.state().put("app/api", manifest(1, "v1"));
        acr.state().pushTag("app/api", "v9", digest(1), T0.plusSeconds(100));

        Optional<Manifest> now = registry.refresh("app/api", digest(1));
        assertEquals(List.of("v1", "v9"), now.orElseThrow().tagNames());
        assertEquals(T0.plusSeconds(100), now.get().tags().get(1).lastUpdateTime());
        assertEquals(Optional.empty(), registry.refresh("app/api", digest(7)));
    }

    @Test
    void a429CarriesRetryAfterAndA5xxIsAServerError() {
        acr.state().put("app/api", manifest(1));
        acr.faults().throttleNext(1, Duration.ofSeconds(3));
        RegistryException throttled =
                assertThrows(
                        RegistryException.class,
                        () -> registry.deleteManifest("app/api", digest(1)));
        assertEquals(RegistryException.Kind.THROTTLED, throttled.kind());
        assertEquals(Optional.of(Duration.ofSeconds(3)), throttled.retryAfter());

        acr.faults().failDeletes(digest(1), 503);
        RegistryException server =
                assertThrows(
                        RegistryException.class,
                        () -> registry.deleteManifest("app/api", digest(1)));
        assertEquals(RegistryException.Kind.SERVER, server.kind());
        assertEquals(503, server.status());
    }
}
