package io.acrretention.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ClusterConfig;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceIdClusterIT {
    static final TestCertificates CERTS = TestCertificates.create("aks-test-ca");
    static final String RESOURCE_ID =
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
                    + "/providers/Microsoft.ContainerService/managedClusters/prod2";

    KubernetesEmulator emulator;

    @BeforeEach
    void start() {
        emulator = KubernetesEmulator.start(CERTS);
        emulator.addCluster("prod2", TestTokens.tokenFor(ClusterConfig.AKS_AUDIENCE + "/.default"))
                .add(
                        "pods",
                        K8sObjects.pod(
                                "web",
                                "api",
                                new K8sObjects.Spec()
                                        .container("api", "mactemp.azurecr.io/app/api:3.0"),
                                null));
        emulator.registerAks(RESOURCE_ID, "prod2");
        emulator.armToken(TestTokens.tokenFor(emulator.armEndpoint() + "/.default"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    UsedImages collect(String resourceId) {
        ClusterConfig c =
                new ClusterConfig(
                        "prod2",
                        ClusterConfig.Kind.KUBERNETES,
                        null,
                        null,
                        null,
                        resourceId,
                        null,
                        ClusterConfig.AKS_AUDIENCE);
        ArmEndpoint arm = new ArmEndpoint(emulator.armEndpoint(), CERTS.clientContext());
        ImageSources sources =
                new ImageSources(TestTokens.perScope(), InventoryCollectorIT.LIMITS, arm);
        return new InventoryCollector(
                        sources.create(List.of(c)),
                        InventoryCollectorIT.LIMITS,
                        InventoryCollectorIT.CLOCK)
                .collect("run-1");
    }

    @Test
    void aClusterKnownByResourceIdIsListedWithTheServerAndCaThatArmReturns() {
        UsedImages inventory = collect(RESOURCE_ID);

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(
                List.of(new UsedImage("mactemp.azurecr.io/app/api:3.0", null, List.of("prod2"))),
                inventory.images());
    }

    @Test
    void anArmTokenArmRejectsFailsTheClusterAndNamesTheCall() {
        emulator.armToken("someone-else");

        UsedImages inventory = collect(RESOURCE_ID);

        assertFalse(inventory.complete());
        String error = inventory.clusters().get(0).error();
        assertTrue(
                error.startsWith(
                        "cluster 'prod2': finding its API server and CA failed: POST "
                                + emulator.armEndpoint()
                                + RESOURCE_ID
                                + "/listClusterUserCredential?api-version=2024-05-01 failed: "
                                + "401 Unauthorized: The access token is invalid."),
                error);
    }

    @Test
    void anUnknownResourceIdFailsTheCluster() {
        UsedImages inventory = collect(RESOURCE_ID.replace("prod2", "nope"));

        assertFalse(inventory.complete());
        assertTrue(
                inventory.clusters().get(0).error().contains("404 Not Found"),
                inventory.clusters().get(0).error());
    }
}
