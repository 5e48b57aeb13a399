package io.acrretention.inventory.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.acrretention.config.ClusterConfig;
import io.acrretention.config.Limits;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointSourceTest {
    static final TestCertificates CERTS = TestCertificates.create("endpoint-test-ca");
    static final String AUDIENCE = "api://edge-inventory";
    static final Limits LIMITS =
            new Limits(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(20),
                    4096,
                    8,
                    Duration.ofSeconds(5),
                    16);

    HttpsServer server;
    volatile String body;

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(CERTS.serverContext()));
        server.createContext(
                "/images",
                ex -> {
                    try (ex) {
                        boolean authorised =
                                ("Bearer " + TestTokens.tokenFor(AUDIENCE + "/.default"))
                                        .equals(ex.getRequestHeaders().getFirst("Authorization"));
                        byte[] bytes =
                                (authorised ? body : "{\"error\":\"invalid token\"}")
                                        .getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(authorised ? 200 : 401, 0);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(bytes);
                        }
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    UsedImages collect(String audience) {
        URI url = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/images");
        ClusterConfig edge =
                new ClusterConfig(
                        "edge",
                        ClusterConfig.Kind.ENDPOINT,
                        null,
                        null,
                        CERTS.caPem(),
                        null,
                        url,
                        audience);
        ImageSources sources =
                new ImageSources(TestTokens.perScope(), LIMITS, ArmEndpoint.azurePublic());
        return new InventoryCollector(
                        sources.create(List.of(edge)),
                        LIMITS,
                        Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC))
                .collect("run-1");
    }

    @Test
    void anArrayOfImagesIsTheClustersInventory() {
        body = "[\"mactemp.azurecr.io/app/api:1.0\", \"nginx\", \"#{Octopus.Release}\"]";

        UsedImages inventory = collect(AUDIENCE);

        assertTrue(inventory.complete());
        assertEquals(
                List.of(
                        new UsedImage("docker.io/library/nginx", null, List.of("edge")),
                        new UsedImage("mactemp.azurecr.io/app/api:1.0", null, List.of("edge"))),
                inventory.images());
        assertEquals(
                List.of(
                        new IgnoredReference(
                                "#{Octopus.Release}", "unrendered template placeholder")),
                inventory.ignored());
    }

    @Test
    void anObjectWithImagesIsTheClustersInventory() {
        body =
                "{\"cluster\": \"edge\", \"images\": [\"mactemp.azurecr.io/app/api@sha256:"
                        + "a".repeat(64)
                        + "\"]}";

        UsedImages inventory = collect(AUDIENCE);

        assertTrue(inventory.complete());
        assertEquals(
                List.of(
                        new UsedImage(
                                "mactemp.azurecr.io/app/api@sha256:" + "a".repeat(64),
                                null,
                                List.of("edge"))),
                inventory.images());
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedAndFailsTheCluster() {
        body = "[]";

        UsedImages inventory = collect("api://someone-else");

        assertFalse(inventory.complete());
        assertTrue(
                inventory
                        .clusters()
                        .get(0)
                        .error()
                        .contains("401 Unauthorized: {\"error\":\"invalid token\"}"),
                inventory.clusters().get(0).error());
    }

    @Test
    void aBodyOfAnotherShapeFailsTheClusterAsMalformed() {
        for (String bad :
                List.of(
                        "{\"items\": []}",
                        "[\"a:1\", 42]",
                        "[\"a:1\"",
                        "\"a:1\"",
                        "[] []",
                        "{\"images\": \"a:1\"}")) {
            body = bad;

            UsedImages inventory = collect(AUDIENCE);

            assertFalse(inventory.complete(), bad);
            String error = inventory.clusters().get(0).error();
            assertTrue(
                    error.startsWith("cluster 'edge': GET https://127.0.0.1:")
                            && error.contains("malformed body"),
                    bad + " -> " + error);
        }
    }

    @Test
    void aBodyOverTheSizeCapFailsTheCluster() {
        body = "[" + "\"mactemp.azurecr.io/app/api:1.0\",".repeat(200) + "\"x:1\"]";

        UsedImages inventory = collect(AUDIENCE);

        assertFalse(inventory.complete());
        assertTrue(
                inventory.clusters().get(0).error().endsWith("larger than the limit of 4096 bytes"),
                inventory.clusters().get(0).error());
    }
}
