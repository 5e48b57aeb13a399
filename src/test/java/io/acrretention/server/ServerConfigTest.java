package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigException;
import io.acrretention.wiring.InClusterInventory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    static final String ISSUERS =
            "[{\"issuer\":\"https://token.actions.githubusercontent.com\","
                    + "\"audiences\":[\"acr-retention-inventory\"],\"claims\":{\"repository_id\":\"681234567\","
                    + "\"ref\":\"refs/heads/main\"}}]";

    @Test
    void aPodGetsItsApiServerAndServiceAccountFilesByDefault() {
        ServerConfig c =
                ServerConfig.parse(
                        "{\"issuers\":" + ISSUERS + "}",
                        "test",
                        Map.of(
                                "KUBERNETES_SERVICE_HOST",
                                "10.0.0.1",
                                "KUBERNETES_SERVICE_PORT",
                                "443"));

        assertEquals(URI.create("https://10.0.0.1:443"), c.kubernetes().server());
        assertEquals(
                Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"),
                c.kubernetes().tokenFile());
        assertEquals(
                Path.of("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"),
                c.kubernetes().caFile());
        assertEquals(8080, c.port());
        assertNull(c.tls());
        assertEquals(Duration.ofSeconds(10), c.cacheTtl());
        assertEquals(Duration.ofMinutes(1), c.oidc().minKeyRefresh());
        assertEquals(
                Map.of("repository_id", List.of("681234567"), "ref", List.of("refs/heads/main")),
                c.issuers().get(0).claims());
    }

    @Test
    void theEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("inventory.json"),
                        "{\"port\": 8080, \"cacheTtl\": \"PT30S\","
                                + " \"issuers\": "
                                + ISSUERS
                                + "}");

        ServerConfig c =
                ServerConfig.load(
                        null,
                        Map.of(
                                "INVENTORY_CONFIG",
                                file.toString(),
                                "INVENTORY_PORT",
                                "8443",
                                "INVENTORY_CACHE_TTL",
                                "PT5S",
                                "INVENTORY_KUBERNETES_SERVER",
                                "https://127.0.0.1:6443",
                                "INVENTORY_TLS_PKCS12_FILE",
                                "/tls/server.p12",
                                "INVENTORY_TLS_PKCS12_PASSWORD",
                                "secret"));

        assertEquals(8443, c.port());
        assertEquals(Duration.ofSeconds(5), c.cacheTtl());
        assertEquals(URI.create("https://127.0.0.1:6443"), c.kubernetes().server());
        assertEquals(
                new ServerConfig.Tls(null, null, Path.of("/tls/server.p12"), "secret"), c.tls());
    }

    @Test
    void everyProblemIsNamedWithItsPath() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ServerConfig.parse(
                                        "{\"prot\": 1,"
                                                + " \"tls\": {\"certFile\": \"/tls/tls.crt\"}, \"issuers\": [{\"issuer\": \"http://issuer.example\","
                                                + " \"audiences\": [], \"claims\": {\"tid\": 7}}]}",
                                        "inventory.json",
                                        Map.of()));

        String all = String.join("\n", e.problems());
        assertTrue(e.getMessage().contains("inventory.json"), e.getMessage());
        assertTrue(all.contains("$.prot: unknown key"), all);
        assertTrue(all.contains("tls: certFile and keyFile go together"), all);
        assertTrue(all.contains("issuers[0].issuer: must be an https URL"), all);
        assertTrue(all.contains("issuers[0].audiences: must list at least one"), all);
        assertTrue(
                all.contains("issuers[0].claims.tid: must be a string or an array of strings"),
                all);
        assertTrue(
                all.contains("kubernetes.server: not set, and KUBERNETES_SERVICE_HOST is not set"),
                all);
    }

    @Test
    void withoutAnyIssuerNobodyCouldBeLetInSoItDoesNotStart() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ServerConfig.parse(
                                        "{}",
                                        "test",
                                        Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")));

        assertTrue(
                e.problems().get(0).startsWith("issuers: must be a non-empty array"),
                e.getMessage());
    }

    @Test
    void runReturnsTwoForSettingsThatCannotBeUsedAndSaysWhyOnTheStreamItIsGiven() {
        StringWriter err = new StringWriter();

        assertEquals(
                2,
                InClusterInventory.serve(
                        null, Map.of("INVENTORY_ISSUERS", "[]"), new PrintWriter(err, true)));
        assertTrue(err.toString().startsWith("serve-inventory: "), err.toString());
        assertTrue(err.toString().contains("issuers"), err.toString());
    }
}
