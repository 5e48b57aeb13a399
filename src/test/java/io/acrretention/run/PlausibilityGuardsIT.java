package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.cleanup.Cleaner;
import io.acrretention.cleanup.DeleteBudget;
import io.acrretention.cleanup.Report;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.json.Json;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.retention.Withheld;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.K8sObjects.Spec;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.wiring.Adapters;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that answers 200 with part of what it runs must not look like a quiet week: runs
 * started from the emulated cluster, their inventories stored, and a repository applied in delete
 * mode.
 */
class PlausibilityGuardsIT {
    // A loopback API server is not AKS: the AKS audience is never sent to it, so it has its own.
    static final String CLUSTER_AUDIENCE = "api://test-cluster";
    static final TestCertificates CERTS = TestCertificates.create("plausibility-ca");

    @TempDir Path dir;
    KubernetesEmulator emulator;
    EmulatedCluster prod;
    LocalDocumentStore store;
    SnapshotRegistry registry;
    Clock clock;

    @BeforeEach
    void start() throws Exception {
        emulator = KubernetesEmulator.start(CERTS);
        prod = emulator.addCluster("prod", TestTokens.tokenFor(CLUSTER_AUDIENCE + "/.default"));
        store = new LocalDocumentStore(dir);
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "demo");
        }
        clock = Clock.fixed(registry.snapshotAt(), ZoneOffset.UTC);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    void runs(int pods, String namespacePrefix) {
        for (int i = 0; i < pods; i++) {
            prod.add(
                    "pods",
                    K8sObjects.pod(
                            namespacePrefix + (i % 2),
                            "p" + i,
                            new Spec().container("app", "demo.azurecr.io/team/app-" + i + ":1"),
                            null));
        }
    }

    RetentionConfig config(String clusterExtras, String policyExtras) {
        ObjectNode cluster =
                Json.MAPPER
                        .createObjectNode()
                        .put("name", "prod")
                        .put("server", emulator.server("prod").toString())
                        .put("caData", CERTS.caPem())
                        .put("audience", CLUSTER_AUDIENCE);
        String json =
                "{\"registries\": [{\"endpoint\": \"https://demo.azurecr.io\"}], \"clusters\": ["
                        + cluster.toString().replaceFirst("}$", clusterExtras + "}")
                        + "], \"policy\": {\"mode\": \"delete\", "
                        + "\"untagged\": \"delete\""
                        + policyExtras
                        + "}}";
        return ConfigParser.parse(json, "test");
    }

    StartedRun start(RetentionConfig config, String runId) {
        return new RunStarter(
                        config,
                        Map.of("demo.azurecr.io", registry),
                        Adapters.collector(
                                config,
                                TestTokens.perScope(),
                                new ArmEndpoint(emulator.armEndpoint(), CERTS.clientContext()),
                                clock),
                        new RunDocuments(store),
                        clock)
                .start(runId, "test", RunSelection.EVERYTHING);
    }

    Report apply(RetentionConfig config, StartedRun run) {
        RepositoryMessage message =
                run.messages().stream()
                        .filter(m -> m.repository().equals("app/api"))
                        .findFirst()
                        .orElseThrow();
        Map<String, Registry> registries = Map.of("demo.azurecr.io", registry);
        return new RepositoryProcessor(
                        config,
                        registries,
                        new InventoryCache(new RunDocuments(store)),
                        new RunDocuments(store),
                        r -> new Cleaner(r, 1),
                        runId -> DeleteBudget.inMemory(1000),
                        clock)
                .process(message, Instant.MAX)
                .report();
    }

    static List<Withheld.Cause> causes(StartedRun run) {
        return run.record().withheld().stream().map(Withheld::cause).toList();
    }

    @Test
    void halfTheUsedImagesGoneSinceTheLastCompleteRunWithholdsDeletionAndNamesBothNumbers() {
        RetentionConfig config = config("", "");
        runs(10, "ns-");
        StartedRun first = start(config, "20261123T000000Z-0001");
        assertEquals(List.of(), causes(first));

        // Half the namespaces answer no more: the same cluster, 200, five images.
        prod.clear("pods");
        runs(5, "ns-");
        StartedRun second = start(config, "20261123T000000Z-0002");

        assertEquals(List.of(Withheld.Cause.USED_IMAGES_DROPPED), causes(second));
        String message = second.record().withheld().get(0).message();
        assertTrue(
                message.contains(
                        "lists 5 used images, 50% fewer than the 10 of the last complete run 20261123T000000Z-0001"),
                message);
        int before = registry.artifacts("app/api").manifests().size();
        Report report = apply(config, second);
        assertEquals(Mode.DRY_RUN, report.mode(), "withheld: nothing is deleted");
        assertEquals("used-images-dropped", report.withheld().get(0).cause().code());
        assertEquals(before, registry.artifacts("app/api").manifests().size());

        // The implausible run never becomes the baseline: the next one still compares with
        // 20261123T000000Z-0001.
        StartedRun third = start(config, "20261123T000000Z-0003");
        assertEquals(List.of(Withheld.Cause.USED_IMAGES_DROPPED), causes(third));
        assertEquals("20261123T000000Z-0001", third.inventory().baseline().runId());

        // Raising the limit for one run accepts the drop, and that run becomes the new baseline.
        StartedRun accepted =
                start(config("", ", \"maxUsedImagesDrop\": 1"), "20261123T000000Z-0004");
        assertEquals(List.of(), causes(accepted));
        assertEquals(List.of(), causes(start(config, "20261123T000000Z-0005")));
    }

    @Test
    void aClusterAnsweringWithFewerImagesThanItsMinimumFailsAndNamesTheNumbers() {
        runs(3, "ns-");
        StartedRun run = start(config(", \"minImages\": 4", ""), "20261123T000000Z-0001");

        assertTrue(
                causes(run).contains(Withheld.Cause.INVENTORY_INCOMPLETE), causes(run).toString());
        String error = run.inventory().clusters().get(0).error();
        assertEquals(
                "cluster 'prod' answered with 3 images, fewer than its minImages 4: a partial answer is not "
                        + "trusted",
                error);
        assertTrue(
                new RunDocuments(store).latestInventory().isEmpty(),
                "an incomplete run is no baseline");
        assertEquals(
                List.of(),
                causes(start(config(", \"minImages\": 3", ""), "20261123T000000Z-0002")));
    }
}
