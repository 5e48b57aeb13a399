package io.acrretention.registry.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.registry.RegistryException;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code exists}: one HEAD of a manifest, through the SDK's pipeline and token exchange, against
 * the emulator.
 */
class AcrManifestExistsIT {
    TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;

    @BeforeEach
    void start() {
        certs = TestCertificates.create("acr-exists-ca");
        acr = AcrEmulator.start(certs, AcrRegistryContractIT.LOGIN, AcrRegistryContractIT.AAD);
        registry =
                AcrRegistry.create(
                        acr.endpoint(),
                        AcrRegistryContractIT.LOGIN,
                        AcrEmulator.credential(AcrRegistryContractIT.AAD),
                        null,
                        Duration.ofSeconds(10),
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
        acr.state().put("team-a/api", AcrRegistryContractIT.manifest(1, "1.0.0"));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    @Test
    void aManifestIsFoundByDigestAndByTagAndAMissingOneIsNot() {
        assertTrue(registry.exists("team-a/api", AcrRegistryContractIT.digest(1)));
        assertTrue(registry.exists("team-a/api", "1.0.0"));
        assertFalse(registry.exists("team-a/api", "2.0.0"));
        assertFalse(registry.exists("team-a/api", AcrRegistryContractIT.digest(2)));
        assertFalse(
                registry.exists("team-a/other", "1.0.0"),
                "a repository that does not exist holds nothing");
        assertEquals(0, acr.counts().writes());
    }

    @Test
    void aRefusedCheckIsAnErrorNeverAnAnswer() {
        AcrRegistry stranger =
                AcrRegistry.create(
                        acr.endpoint(),
                        AcrRegistryContractIT.LOGIN,
                        AcrEmulator.credential("not-the-token"),
                        null,
                        Duration.ofSeconds(10),
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
        assertThrows(RegistryException.class, () -> stranger.exists("team-a/api", "1.0.0"));
    }
}
