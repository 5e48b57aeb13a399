package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fetching an issuer's keys is bounded in time, and the settings that pace it are bounded too. */
class IssuerKeyLimitsIT {
    @TempDir Path dir;
    ServerFixture f;

    @BeforeEach
    void setUp() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void anIssuerThatTricklesItsKeysAnswers503WithinTheTimeoutToEveryWaitingCaller()
            throws Exception {
        f.entra.trickleKeys(Duration.ofMillis(200)); // a key set of ~500 bytes: well over a minute
        var config = f.config();
        config.with("oidc").put("timeout", "PT2S");
        f.start(config);
        long start = System.nanoTime();

        List<CompletableFuture<HttpResponse<String>>> callers =
                List.of(
                        CompletableFuture.supplyAsync(() -> f.get("/images", f.entraToken())),
                        CompletableFuture.supplyAsync(() -> f.get("/images", f.entraToken())));

        for (CompletableFuture<HttpResponse<String>> caller : callers) {
            assertEquals(503, caller.get().statusCode(), caller.get().body());
        }
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(
                waited < 20_000, "answered after " + waited + " ms; the timeout is 2 s per step");
        assertEquals(0, f.cluster.requests("pods"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'minKeyRefresh': 'PT0S'|oidc.minKeyRefresh: must be between PT1S and PT1H",
                "'minKeyRefresh': 'PT2H', 'maxKeyAge': 'PT3H'|oidc.minKeyRefresh: must be between PT1S and PT1H",
                "'maxKeyAge': 'P7D'|oidc.maxKeyAge: must be between PT1M and PT24H",
                "'minKeyRefresh': 'PT30M', 'maxKeyAge': 'PT10M'|oidc.maxKeyAge: must not be shorter than minKeyRefresh",
                "'timeout': 'PT5M'|oidc.timeout: must be between PT1S and PT30S"
            })
    void keyRefreshSettingsOutsideTheirBoundsAreRefused(String oidc, String problem) {
        String json =
                "{\"oidc\": {"
                        + oidc.replace('\'', '"')
                        + "}, \"issuers\": "
                        + ServerConfigTest.ISSUERS
                        + "}";

        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ServerConfig.parse(
                                        json,
                                        "inventory.json",
                                        Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")));

        String all = String.join("\n", e.problems());
        assertTrue(all.contains(problem), all);
    }

    @Test
    void aRequestTimeoutNotLongerThanTheListTimeoutAndAHealthPortEqualToThePortAreRefused() {
        String json =
                "{\"port\": 8080, \"healthPort\": 8080, \"listTimeout\": \"PT25S\", \"requestTimeout\": \"PT20S\","
                        + " \"issuers\": "
                        + ServerConfigTest.ISSUERS
                        + "}";

        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ServerConfig.parse(
                                        json,
                                        "inventory.json",
                                        Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")));

        String all = String.join("\n", e.problems());
        assertTrue(all.contains("requestTimeout: must be longer than listTimeout"), all);
        assertTrue(all.contains("healthPort: must differ from port"), all);
    }
}
