package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.cleanup.Backoff;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.Sleeper;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.K8sObjects.Spec;
import io.acrretention.testing.k8s.K8sObjects.Status;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.Adapters;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A registry's name written in any equivalent form, in the configuration or by a pod, finds the
 * same images: the whole pipeline from the Kubernetes API (emulated) through the collector, the
 * stored inventory, the planner and the cleaner in delete mode. A mismatch here deletes every image
 * in use.
 */
class RegistryNameSpellingsIT {
    // A loopback API server is not AKS: the AKS audience is never sent to it, so it has its own.
    static final String CLUSTER_AUDIENCE = "api://test-cluster";
    static final TestCertificates CERTS = TestCertificates.create("registry-names-ca");
    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    static final String OLD = "2026-08-01T00:00:00Z";
    static final List<String> TAGS = List.of("1.0", "1.1", "1.2", "1.3", "1.4", "0.9", "0.8");
    static KubernetesEmulator emulator;

    @TempDir Path dir;

    @BeforeAll
    static void startCluster() {
        emulator = KubernetesEmulator.start(CERTS);
        EmulatedCluster prod =
                emulator.addCluster("prod", TestTokens.tokenFor(CLUSTER_AUDIENCE + "/.default"));
        // Each in-use image spelled differently; 0.9 and 0.8 are used by nobody.
        prod.add(
                "pods",
                K8sObjects.pod(
                        "web",
                        "a",
                        new Spec()
                                .container("port", "mactemp.azurecr.io:443/app/api:1.0")
                                .container("upper", "MacTemp.AzureCR.io/app/api:1.1")
                                .container("mirror", "mirror.example.com/app/api:1.2")
                                .container("proxy", "proxy.internal:5000/app/api@" + digest("1.3")),
                        null));
        prod.add(
                "deployments",
                K8sObjects.workload(
                        "Deployment",
                        "web",
                        "b",
                        new Spec().container("mirror443", "Mirror.Example.com:443/app/api:1.4")));
        // The digest that runs, reported through the mirror, protects the manifest too.
        prod.add(
                "pods",
                K8sObjects.pod(
                        "web",
                        "c",
                        new Spec().container("app", "mirror.example.com/app/api:moving"),
                        new Status()
                                .running("app", "mirror.example.com/app/api@" + digest("1.1"))));
    }

    @AfterAll
    static void stopCluster() {
        emulator.close();
    }

    @ParameterizedTest(name = "[{index}] endpoint {0}, loginServer {1}")
    @CsvSource(
            nullValues = "-",
            textBlock =
                    """
            https://mactemp.azurecr.io          | -                          | mactemp.azurecr.io
            https://mactemp.azurecr.io:443      | -                          | MacTemp.azurecr.io:443
            https://MACTEMP.AzureCR.io          | -                          | mactemp.azurecr.io:443
            https://127.0.0.1:8443              | MacTemp.azurecr.io:443     | MACTEMP.azurecr.io
            https://127.0.0.1:8443              | mactemp.azurecr.io         | mactemp.azurecr.io
            """,
            delimiter = '|')
    void everySpellingOfTheRegistryKeepsTheImagesPodsUse(
            String endpoint, String loginServer, String snapshotName) throws Exception {
        RetentionConfig config = ConfigParser.parse(config(endpoint, loginServer), "test");
        String registryKey = config.registries().get(0).loginServer();
        assertEquals("mactemp.azurecr.io", registryKey, "one normal form: lower case, no :443");

        LocalDocumentStore store = new LocalDocumentStore(dir);
        UsedImages inventory =
                Adapters.collector(
                                config,
                                TestTokens.perScope(),
                                new ArmEndpoint(emulator.armEndpoint(), CERTS.clientContext()),
                                Clock.fixed(NOW, ZoneOffset.UTC))
                        .collect("20261123T000000Z-0001");
        assertTrue(inventory.complete(), inventory.clusters().toString());
        String path = new RunDocuments(store).saveInventory(inventory);

        SnapshotRegistry registry =
                SnapshotRegistry.load(new ByteArrayInputStream(snapshot(snapshotName)), "test");
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        Map.of(registryKey, registry),
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r ->
                                new Cleaner(
                                        r,
                                        1,
                                        Backoff.defaults(),
                                        Clock.fixed(NOW, ZoneOffset.UTC),
                                        Sleeper.SYSTEM),
                        runId -> DeleteBudget.inMemory(1000),
                        Clock.fixed(NOW, ZoneOffset.UTC));
        Report report =
                processor
                        .process(
                                new RepositoryMessage(
                                        RepositoryMessage.VERSION,
                                        "20261123T000000Z-0001",
                                        registryKey,
                                        "app/api",
                                        path,
                                        Mode.DELETE),
                                Instant.MAX)
                        .report();

        Set<String> left =
                registry.artifacts("app/api").manifests().stream()
                        .map(Manifest::tagNames)
                        .flatMap(List::stream)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                new TreeSet<>(List.of("1.0", "1.1", "1.2", "1.3", "1.4")),
                left,
                report.entries().toString());
        assertEquals(
                Mode.DELETE,
                report.mode(),
                "nothing withheld: the unused 0.8 and 0.9 were really deleted");
    }

    private static String config(String endpoint, String loginServer) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode registry = root.putArray("registries").addObject().put("endpoint", endpoint);
        if (loginServer != null) {
            registry.put("loginServer", loginServer);
        }
        registry.putArray("aliases").add("MIRROR.example.com:443").add("proxy.internal:5000");
        root.putArray("clusters")
                .addObject()
                .put("name", "prod")
                .put("kind", "kubernetes")
                .put("server", emulator.server("prod").toString())
                .put("caData", CERTS.caPem())
                .put("audience", CLUSTER_AUDIENCE);
        ObjectNode policy =
                root.putObject("policy")
                        .put("mode", "delete")
                        .put("keepRecent", 0)
                        .put("keepYoungerThan", "P1D");
        policy.putArray("keepTags");
        policy.putArray("keepRecentPerBranch");
        return root.toString();
    }

    /**
     * One repository, one old manifest per tag, under the login server spelled {@code loginServer}.
     */
    private static byte[] snapshot(String loginServer) throws Exception {
        ObjectNode root =
                Json.MAPPER
                        .createObjectNode()
                        .put("loginServer", loginServer)
                        .put("snapshotAt", NOW.toString());
        ArrayNode manifests =
                root.putArray("repositories")
                        .addObject()
                        .put("name", "app/api")
                        .putArray("manifests");
        for (String tag : TAGS) {
            ObjectNode m =
                    manifests
                            .addObject()
                            .put("digest", digest(tag))
                            .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                            .put("sizeBytes", 1000)
                            .put("createdTime", OLD)
                            .put("lastUpdateTime", OLD);
            m.putArray("tags")
                    .addObject()
                    .put("name", tag)
                    .put("createdTime", OLD)
                    .put("lastUpdateTime", OLD);
        }
        return Json.MAPPER.writeValueAsBytes(root);
    }

    private static String digest(String tag) {
        return K8sObjects.digest("app/api:" + tag);
    }
}
