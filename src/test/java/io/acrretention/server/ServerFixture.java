package io.acrretention.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.acrretention.json.Json;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.testing.oidc.OidcIssuers;
import io.acrretention.wiring.InClusterInventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One inventory server against the loopback Kubernetes emulator (its service account files in a
 * temp folder) and two loopback issuers: an Entra-like one with an RSA key and a
 * GitHub-Actions-like one with an EC key.
 */
final class ServerFixture implements AutoCloseable {
    static final TestCertificates CERTS = TestCertificates.create("inventory-server-test-ca");
    static final String SA_TOKEN = "service-account-token-1";
    static final String ENTRA_AUDIENCE = "api://edge-inventory";
    static final String TENANT = "tenant-1234";
    static final String GITHUB_AUDIENCE = "acr-retention-inventory";

    /**
     * The id of contoso/retention: a name can be registered again by someone else, its id cannot.
     */
    static final String REPOSITORY_ID = "681234567";

    static final String RETENTION_APP = "app-retention";

    final KubernetesEmulator emulator = KubernetesEmulator.start(CERTS);
    final EmulatedCluster cluster = emulator.addCluster("edge", SA_TOKEN);
    final OidcIssuers issuers = OidcIssuers.start(CERTS);
    final OidcIssuers.Issuer entra = issuers.add(TENANT).rsaKey("entra-1");
    final OidcIssuers.Issuer github = issuers.add("github").ecKey("gh-1");
    final Path dir;
    final HttpClient client =
            HttpClient.newBuilder()
                    .sslContext(CERTS.clientContext())
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    InventoryServer server;

    ServerFixture(Path dir) {
        this.dir = dir;
        write("token", SA_TOKEN);
        write("ca.crt", CERTS.caPem());
        write("tls.crt", CERTS.serverChainPem());
        write("tls.key", CERTS.serverKeyPem());
        cluster.add(
                "pods",
                K8sObjects.pod(
                        "shop",
                        "api-7d9f-x2",
                        new K8sObjects.Spec()
                                .container("api", "mactemp.azurecr.io/shop/api:2.1.24")
                                .init("migrate", "mactemp.azurecr.io/shop/migrate:7"),
                        new K8sObjects.Status()
                                .running(
                                        "api",
                                        "mactemp.azurecr.io/shop/api@"
                                                + K8sObjects.digest("api"))));
        cluster.add(
                "replicasets",
                K8sObjects.workload(
                        "ReplicaSet",
                        "shop",
                        "api-6c8e",
                        new K8sObjects.Spec()
                                .container("api", "mactemp.azurecr.io/shop/api:2.1.23")));
    }

    /**
     * Settings that trust both issuers (Entra: an oid allow-list, or a group of one client app;
     * GitHub: one repository's main branch), TLS on, fresh SA token reads.
     */
    ObjectNode config() {
        ObjectNode c =
                Json.MAPPER
                        .createObjectNode()
                        .put("bindAddress", "127.0.0.1")
                        .put("port", 0)
                        .put("healthPort", 0);
        c.putObject("tls").put("certFile", file("tls.crt")).put("keyFile", file("tls.key"));
        c.putObject("kubernetes")
                .put("server", emulator.server("edge").toString())
                .put("tokenFile", file("token"))
                .put("caFile", file("ca.crt"))
                .put("tokenRefresh", "PT0S");
        c.putObject("oidc").put("minKeyRefresh", "PT1H");
        ArrayNode issuersNode = c.putArray("issuers");
        issuer(issuersNode, entra.url(), ENTRA_AUDIENCE)
                .put("provider", "entra")
                .putObject("claims")
                .put("tid", TENANT)
                .set("oid", Json.MAPPER.valueToTree(List.of("oid-retention-app", "oid-other")));
        issuer(issuersNode, entra.url(), ENTRA_AUDIENCE)
                .put("provider", "entra")
                .putObject("claims")
                .put("tid", TENANT)
                .put("azp", RETENTION_APP)
                .put("groups", "inventory-readers");
        issuer(issuersNode, github.url(), GITHUB_AUDIENCE)
                .put("provider", "github-actions")
                .putObject("claims")
                .put("repository_id", REPOSITORY_ID)
                .set("ref", Json.MAPPER.valueToTree(List.of("refs/heads/main")));
        return c;
    }

    private ObjectNode issuer(ArrayNode issuersNode, String url, String audience) {
        ObjectNode i = issuersNode.addObject().put("issuer", url).put("caFile", file("ca.crt"));
        i.putArray("audiences").add(audience);
        return i;
    }

    InventoryServer start() {
        return start(config());
    }

    InventoryServer start(ObjectNode config) {
        try {
            server =
                    InClusterInventory.start(
                            ServerConfig.parse(config.toString(), "test", Map.of()));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JWTClaimsSet.Builder entraClaims() {
        return entra.claims(ENTRA_AUDIENCE).claim("tid", TENANT).claim("oid", "oid-retention-app");
    }

    JWTClaimsSet.Builder githubClaims() {
        return github.claims(GITHUB_AUDIENCE)
                .claim("repository_owner", "contoso")
                .claim("repository", "contoso/retention")
                .claim("repository_id", REPOSITORY_ID)
                .claim("ref", "refs/heads/main");
    }

    String entraToken() {
        return entra.sign("entra-1", entraClaims().build());
    }

    HttpResponse<String> get(String path, String bearer) {
        return send(path, "GET", bearer);
    }

    HttpResponse<String> send(String path, String method, String bearer) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        issuers.close();
        emulator.close();
    }
}
