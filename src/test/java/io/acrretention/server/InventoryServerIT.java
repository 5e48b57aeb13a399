package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import io.acrretention.testing.k8s.Fault;
import io.acrretention.testing.k8s.K8sObjects;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryServerIT {
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

    static List<String> images(HttpResponse<String> response) throws Exception {
        JsonNode body = Json.MAPPER.readTree(response.body());
        List<String> out = new ArrayList<>();
        body.get("images").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void anEntraTokenGetsTheClustersImagesWithTheirDigestsAsWell() throws Exception {
        f.start();

        HttpResponse<String> response = f.get("/images", f.entraToken());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                List.of(
                        "mactemp.azurecr.io/shop/api:2.1.23",
                        "mactemp.azurecr.io/shop/api:2.1.24",
                        "mactemp.azurecr.io/shop/api:2.1.24@" + K8sObjects.digest("api"),
                        "mactemp.azurecr.io/shop/migrate:7"),
                images(response));
    }

    @Test
    void aGithubActionsTokenIsAcceptedSideBySideWithEntra() throws Exception {
        f.start();

        HttpResponse<String> response =
                f.get("/images", f.github.sign("gh-1", f.githubClaims().build()));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(4, images(response).size());
    }

    @Test
    void anotherEntryForTheSameIssuerLetsInAKnownClientAppByGroupMembership() {
        f.start();
        String token =
                f.entra.sign(
                        "entra-1",
                        f.entraClaims()
                                .claim("oid", "someone-else")
                                .claim("azp", ServerFixture.RETENTION_APP)
                                .claim("groups", List.of("other-group", "inventory-readers"))
                                .build());

        assertEquals(200, f.get("/images", token).statusCode());
    }

    @Test
    void healthzAnswersWithoutATokenAndWithoutListing() {
        f.start();

        HttpResponse<String> response = f.get("/healthz", null);

        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
        assertEquals(0, f.cluster.requests("pods"));
    }

    @Test
    void anyOtherPathIsNotFoundAndAnyOtherMethodIsNotAllowed() {
        f.start();

        assertEquals(404, f.get("/", f.entraToken()).statusCode());
        assertEquals(404, f.get("/images/", f.entraToken()).statusCode());
        assertEquals(404, f.get("/metrics", null).statusCode());
        HttpResponse<String> post = f.send("/images", "POST", f.entraToken());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, f.send("/healthz", "DELETE", null).statusCode());
    }

    @Test
    void aFailedListingAnswers503WithTheReasonAndNoImages() throws Exception {
        f.cluster.fault(Fault.of(Fault.Type.FORBIDDEN, "replicasets"));
        f.start();

        HttpResponse<String> response = f.get("/images", f.entraToken());

        assertEquals(503, response.statusCode());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertFalse(body.has("images"));
        assertTrue(body.get("message").asText().contains("list replicasets"), response.body());
        assertTrue(body.get("message").asText().contains("403"), response.body());
    }

    @Test
    void aListingThatFailedIsNotCachedTheNextCallerListsAgain() {
        f.write("token", "a-token-the-cluster-does-not-accept");
        f.start();
        assertEquals(503, f.get("/images", f.entraToken()).statusCode());

        // The kubelet rotates the projected token in place.
        f.write("token", ServerFixture.SA_TOKEN);

        assertEquals(200, f.get("/images", f.entraToken()).statusCode());
    }

    @Test
    void aBurstOfConcurrentCallersCostsOneListing() throws Exception {
        f.cluster.latency(Duration.ofMillis(100));
        f.start();
        String token = f.entraToken();
        int callers = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<CompletableFuture<HttpResponse<String>>> calls =
                IntStream.range(0, callers)
                        .mapToObj(
                                i ->
                                        CompletableFuture.supplyAsync(
                                                () -> {
                                                    try {
                                                        go.await();
                                                    } catch (InterruptedException e) {
                                                        Thread.currentThread().interrupt();
                                                    }
                                                    return f.get("/images", token);
                                                },
                                                pool))
                        .toList();
        go.countDown();

        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(4, images(response).size());
        }
        assertEquals(1, f.cluster.requests("pods"));
        assertEquals(1, f.cluster.requests("replicasets"));
        pool.shutdown();
    }

    @Test
    void withoutTlsSettingsItServesPlainHttpForUseBehindAnIngress() {
        var config = f.config();
        config.remove("tls");
        f.start(config);

        assertEquals("http", f.server.url().getScheme());
        assertEquals(200, f.get("/images", f.entraToken()).statusCode());
    }
}
