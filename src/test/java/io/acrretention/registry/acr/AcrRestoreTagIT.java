package io.acrretention.registry.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry.RestoreOutcome;
import io.acrretention.registry.Tag;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restoring a tag through the real SDK pipeline against the emulator, which stores pushed bytes by
 * their digest.
 */
class AcrRestoreTagIT {
    static final String LOGIN = "mactemp.azurecr.io";
    static final String AAD = "aad-token-for-tests";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("acr-restore-ca");
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
        acr.state().put("app/api", manifest(A, "application/vnd.oci.image.index.v1+json"));
        acr.state().put("app/api", manifest(B, null, "other"));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    static Manifest manifest(String digest, String mediaType, String... tags) {
        return new Manifest(
                digest,
                mediaType,
                1234,
                T0,
                T0,
                true,
                true,
                java.util.Arrays.stream(tags).map(t -> Tag.of(t, digest, T0)).toList(),
                List.of(),
                null);
    }

    @Test
    void aRestoredTagPointsAtTheSameDigestBecauseTheManifestsOwnBytesArePushed() {
        assertEquals(RestoreOutcome.RESTORED, registry.restoreTag("app/api", A, "1.0"));
        assertEquals(A, acr.state().digestOf("app/api", "1.0"));
        assertEquals(1, acr.counts().tagsPushed());
        assertEquals(
                List.of(A, B), acr.state().manifestsOf("app/api"), "no new manifest was created");
    }

    @Test
    void aTagThatPointsAtAnotherManifestIsLeftAlone() {
        assertEquals(RestoreOutcome.TAG_TAKEN, registry.restoreTag("app/api", A, "other"));
        assertEquals(B, acr.state().digestOf("app/api", "other"));
        assertEquals(0, acr.counts().tagsPushed());
    }

    @Test
    void aTagAlreadyOnTheManifestIsNotPushedAgain() {
        assertEquals(RestoreOutcome.ALREADY_THERE, registry.restoreTag("app/api", B, "other"));
        assertEquals(0, acr.counts().tagsPushed());
    }

    @Test
    void aManifestThatIsGoneCannotBeTaggedAndSaysSo() {
        assertEquals(
                RestoreOutcome.MANIFEST_GONE,
                registry.restoreTag("app/api", "sha256:" + "c".repeat(64), "1.0"));
        assertEquals(null, acr.state().digestOf("app/api", "1.0"));
    }
}
