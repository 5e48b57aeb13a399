package io.acrretention.inventory;

import static io.acrretention.testing.k8s.K8sObjects.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ClusterConfig;
import io.acrretention.config.Limits;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.Fault;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.K8sObjects.Spec;
import io.acrretention.testing.k8s.K8sObjects.Status;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryCollectorIT {
    static final TestCertificates CERTS = TestCertificates.create("inventory-test-ca");
    static final String AKS_TOKEN = TestTokens.tokenFor(ClusterConfig.AKS_AUDIENCE + "/.default");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);
    static final Limits LIMITS =
            new Limits(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    32L * 1024 * 1024,
                    8,
                    Duration.ofSeconds(10),
                    16);
    static final String ACR = "mactemp.azurecr.io/app/api";

    KubernetesEmulator emulator;

    @BeforeEach
    void start() {
        emulator = KubernetesEmulator.start(CERTS);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    ClusterConfig kubernetes(String name) {
        return new ClusterConfig(
                name,
                ClusterConfig.Kind.KUBERNETES,
                emulator.server(name),
                null,
                CERTS.caPem(),
                null,
                null,
                ClusterConfig.AKS_AUDIENCE);
    }

    UsedImages collect(Limits limits, ClusterConfig... clusters) {
        // Two objects a page: every list of more than two pages through continue tokens.
        ImageSources sources =
                new ImageSources(
                        TestTokens.perScope(),
                        limits,
                        new ArmEndpoint(emulator.armEndpoint(), CERTS.clientContext()),
                        2);
        return new InventoryCollector(sources.create(List.of(clusters)), limits, CLOCK)
                .collect("run-1");
    }

    /**
     * A cluster with one object of every kind, and pods whose statuses carry the digests that run.
     */
    EmulatedCluster seedProd() {
        EmulatedCluster prod = emulator.addCluster("prod", AKS_TOKEN);
        prod.add(
                "pods",
                K8sObjects.pod(
                        "web",
                        "api-7d9-x1",
                        new Spec()
                                .container("api", ACR + ":2.1.24-3e158f8-main")
                                .container("proxy", "nginx:1.25")
                                .init("migrate", "mactemp.azurecr.io/app/migrate:2.1.24")
                                .ephemeral("debug", "busybox:1.36"),
                        new Status()
                                .running("api", "docker-pullable://" + ACR + "@" + digest("api"))
                                .running("proxy", "sha256:" + digest("proxy-image-id").substring(7))
                                .initRan(
                                        "migrate",
                                        "mactemp.azurecr.io/app/migrate@" + digest("migrate"))
                                .ephemeralRunning(
                                        "debug",
                                        "docker.io/library/busybox@" + digest("busybox"))));
        // A template Octopus did not render, next to a container that is fine: one must not hide
        // the other.
        prod.add(
                "pods",
                K8sObjects.pod(
                        "web",
                        "half-rendered",
                        new Spec()
                                .container("app", "#{Octopus.Action.Package[app].PackageVersion}")
                                .container("sidecar", "mactemp.azurecr.io/app/sidecar:1.0"),
                        null));
        prod.add(
                "pods",
                K8sObjects.pod("web", "pending", new Spec().container("app", "${IMAGE}"), null));
        prod.add(
                "replicasets",
                K8sObjects.workload(
                        "ReplicaSet",
                        "web",
                        "api-6c1",
                        new Spec().container("api", ACR + ":2.1.23-aaaaaaa-main")));
        prod.add(
                "replicasets",
                K8sObjects.workload(
                        "ReplicaSet",
                        "web",
                        "api-5b0",
                        new Spec().container("api", ACR + ":2.1.22-bbbbbbb-main")));
        prod.add(
                "replicasets",
                K8sObjects.workload(
                        "ReplicaSet",
                        "web",
                        "api-7d9",
                        new Spec().container("api", ACR + ":2.1.24-3e158f8-main")));
        prod.add(
                "deployments",
                K8sObjects.workload(
                        "Deployment",
                        "web",
                        "api",
                        new Spec().container("api", ACR + ":2.1.24-3e158f8-main")));
        prod.add(
                "statefulsets",
                K8sObjects.workload(
                        "StatefulSet",
                        "data",
                        "db",
                        new Spec().container("db", "mactemp.azurecr.io/infra/postgres:16")));
        prod.add(
                "daemonsets",
                K8sObjects.workload(
                        "DaemonSet",
                        "kube-system",
                        "agent",
                        new Spec().container("agent", "mactemp.azurecr.io/infra/agent:3")));
        prod.add(
                "jobs",
                K8sObjects.workload(
                        "Job",
                        "web",
                        "backfill",
                        new Spec().container("job", "mactemp.azurecr.io/app/backfill:7")));
        prod.add(
                "cronjobs",
                K8sObjects.cronJob(
                        "web",
                        "nightly",
                        new Spec()
                                .container("report", "mactemp.azurecr.io/app/report:9")
                                .init("wait", "mactemp.azurecr.io/app/wait:1")));
        return prod;
    }

    @Test
    void aHealthyMultiClusterRunIsCompleteWithEveryImageFromEveryKind() {
        seedProd();
        emulator.addCluster("stage", AKS_TOKEN)
                .add(
                        "pods",
                        K8sObjects.pod(
                                "web",
                                "api-stage",
                                new Spec().container("api", ACR + ":2.1.24-3e158f8-main"),
                                new Status().running("api", ACR + "@" + digest("api"))));

        UsedImages inventory = collect(LIMITS, kubernetes("stage"), kubernetes("prod"));

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals("run-1", inventory.runId());
        assertEquals(CLOCK.instant(), inventory.collectedAt());
        assertEquals(
                List.of("stage", "prod"),
                inventory.clusters().stream().map(ClusterStatus::name).toList());
        assertEquals(
                List.of(
                        new UsedImage(
                                "docker.io/library/busybox:1.36",
                                digest("busybox"),
                                List.of("prod")),
                        new UsedImage("docker.io/library/nginx:1.25", null, List.of("prod")),
                        new UsedImage(ACR + ":2.1.22-bbbbbbb-main", null, List.of("prod")),
                        new UsedImage(ACR + ":2.1.23-aaaaaaa-main", null, List.of("prod")),
                        new UsedImage(ACR + ":2.1.24-3e158f8-main", null, List.of("prod")),
                        new UsedImage(
                                ACR + ":2.1.24-3e158f8-main",
                                digest("api"),
                                List.of("prod", "stage")),
                        new UsedImage("mactemp.azurecr.io/app/backfill:7", null, List.of("prod")),
                        new UsedImage(
                                "mactemp.azurecr.io/app/migrate:2.1.24",
                                digest("migrate"),
                                List.of("prod")),
                        new UsedImage("mactemp.azurecr.io/app/report:9", null, List.of("prod")),
                        new UsedImage("mactemp.azurecr.io/app/sidecar:1.0", null, List.of("prod")),
                        new UsedImage("mactemp.azurecr.io/app/wait:1", null, List.of("prod")),
                        new UsedImage("mactemp.azurecr.io/infra/agent:3", null, List.of("prod")),
                        new UsedImage(
                                "mactemp.azurecr.io/infra/postgres:16", null, List.of("prod"))),
                inventory.images());
        assertEquals(
                List.of(
                        new IgnoredReference(
                                "#{Octopus.Action.Package[app].PackageVersion}",
                                "unrendered template placeholder"),
                        new IgnoredReference("${IMAGE}", "unrendered template placeholder"),
                        new IgnoredReference(
                                digest("proxy-image-id"), "an image ID names no repository")),
                inventory.ignored());
        ClusterStatus prod = inventory.clusters().get(1);
        assertEquals(ClusterStatus.ok("prod", 12, prod.durationMs()), prod);
        assertEquals(1, inventory.clusters().get(0).images());
        assertTrue(
                inventory.usageOf("mactemp.azurecr.io", "app/api").usesTag("2.1.22-bbbbbbb-main"));
        assertTrue(inventory.usageOf("mactemp.azurecr.io", "app/api").usesDigest(digest("api")));
    }

    @Test
    void aDigestRunningFromAnotherRepositoryCountsAsItsOwnReference() {
        emulator.addCluster("prod", AKS_TOKEN)
                .add(
                        "pods",
                        K8sObjects.pod(
                                "web",
                                "mirrored",
                                new Spec().container("api", ACR + ":1.0"),
                                new Status()
                                        .running(
                                                "api",
                                                "docker-pullable://mirror.example.io/app/api@"
                                                        + digest("m"))));

        UsedImages inventory = collect(LIMITS, kubernetes("prod"));

        assertEquals(
                List.of(
                        new UsedImage(ACR + ":1.0", null, List.of("prod")),
                        new UsedImage(
                                "mirror.example.io/app/api@" + digest("m"),
                                digest("m"),
                                List.of("prod"))),
                inventory.images());
    }

    @Test
    void anExpiredContinueTokenRestartsThatListAndTheRunStaysComplete() {
        EmulatedCluster prod = seedProd();
        prod.fault(Fault.expired("replicasets", 1));

        UsedImages inventory = collect(LIMITS, kubernetes("prod"));

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(12, inventory.clusters().get(0).images());
        // Two pages, a 410 on the second, then two pages again.
        assertEquals(4, prod.requests("replicasets"));
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(
                        Fault.of(Fault.Type.UNAUTHORIZED, null), "list pods", "401 Unauthorized"),
                Arguments.of(
                        Fault.of(Fault.Type.FORBIDDEN, "replicasets"),
                        "list replicasets",
                        "403 Forbidden"),
                Arguments.of(
                        Fault.of(Fault.Type.SERVER_ERROR, "cronjobs"),
                        "list cronjobs",
                        "500 Internal Server Error: etcdserver: request timed out"),
                Arguments.of(
                        Fault.of(Fault.Type.TRUNCATED, "pods"), "list pods", "malformed response"),
                Arguments.of(
                        Fault.of(Fault.Type.HUGE_BODY, "deployments"),
                        "list deployments",
                        "larger than the limit of 33554432 bytes"),
                Arguments.of(
                        Fault.of(Fault.Type.BROKEN_CONTINUE, "jobs"),
                        "list jobs",
                        "400 Bad Request: continue key is not valid"),
                Arguments.of(
                        Fault.of(Fault.Type.REPEATED_CONTINUE, "statefulsets"),
                        "list statefulsets",
                        "broken paging"),
                Arguments.of(
                        Fault.expired("pods", Integer.MAX_VALUE),
                        "list pods",
                        "expired (410 Gone) 4 times in a row"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFaultyClusterMakesTheInventoryIncompleteAndSaysWhereAndWhy(
            Fault fault, String listing, String cause) {
        seedProd().fault(fault);
        emulator.addCluster("stage", AKS_TOKEN)
                .add(
                        "pods",
                        K8sObjects.pod(
                                "web", "api", new Spec().container("api", ACR + ":1.0"), null));

        UsedImages inventory = collect(LIMITS, kubernetes("prod"), kubernetes("stage"));

        assertFalse(inventory.complete());
        ClusterStatus prod = inventory.clusters().get(0);
        assertEquals(ClusterStatus.FAILED, prod.status());
        assertTrue(
                prod.error()
                        .startsWith(
                                "cluster 'prod': " + listing + " (GET " + emulator.server("prod")),
                prod.error());
        assertTrue(prod.error().contains(cause), prod.error());
        assertTrue(inventory.clusters().get(1).isOk());
        // Only the healthy cluster's images: a half-read cluster adds nothing.
        assertEquals(
                List.of(new UsedImage(ACR + ":1.0", null, List.of("stage"))), inventory.images());
    }

    @Test
    void aTokenTheClusterRejectsFailsThatCluster() {
        emulator.addCluster("prod", "another-token");

        UsedImages inventory = collect(LIMITS, kubernetes("prod"));

        assertFalse(inventory.complete());
        assertTrue(inventory.clusters().get(0).error().contains("401 Unauthorized"));
    }

    @Test
    void aSlowClusterTimesOutAndTheErrorSaysWhatWasBeingListed() {
        seedProd().latency(Duration.ofSeconds(3));
        Limits tight =
                new Limits(
                        Duration.ofMillis(700),
                        Duration.ofSeconds(30),
                        32L << 20,
                        8,
                        Duration.ofSeconds(10),
                        16);

        UsedImages inventory = collect(tight, kubernetes("prod"));

        assertFalse(inventory.complete());
        String error = inventory.clusters().get(0).error();
        assertEquals(
                "cluster 'prod' did not finish within the cluster time-out PT0.7S (it was at: list pods (page 1))",
                error);
    }

    @Test
    void theInventoryDeadlineStopsClustersThatAreStillListing() {
        seedProd().latency(Duration.ofSeconds(3));
        Limits tight =
                new Limits(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(700),
                        32L << 20,
                        8,
                        Duration.ofSeconds(10),
                        16);

        UsedImages inventory = collect(tight, kubernetes("prod"));

        assertFalse(inventory.complete());
        assertTrue(
                inventory
                        .clusters()
                        .get(0)
                        .error()
                        .startsWith(
                                "cluster 'prod' did not finish within the inventory deadline PT0.7S"));
    }

    @Test
    void aClusterThatDoesNotAnswerFailsWithTheNetworkError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ClusterConfig gone =
                new ClusterConfig(
                        "gone",
                        ClusterConfig.Kind.KUBERNETES,
                        URI.create("https://127.0.0.1:" + closedPort),
                        null,
                        CERTS.caPem(),
                        null,
                        null,
                        ClusterConfig.AKS_AUDIENCE);

        UsedImages inventory = collect(LIMITS, gone);

        assertFalse(inventory.complete());
        assertTrue(
                inventory.clusters().get(0).error().contains("ConnectException"),
                inventory.clusters().get(0).error());
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() {
        seedProd();
        ClusterConfig wrongCa =
                new ClusterConfig(
                        "prod",
                        ClusterConfig.Kind.KUBERNETES,
                        emulator.server("prod"),
                        null,
                        TestCertificates.create("someone-else").caPem(),
                        null,
                        null,
                        ClusterConfig.AKS_AUDIENCE);

        UsedImages inventory = collect(LIMITS, wrongCa);

        assertFalse(inventory.complete());
        assertTrue(
                inventory.clusters().get(0).error().contains("SSLHandshakeException"),
                inventory.clusters().get(0).error());
    }

    @Test
    void aMissingCaFileFailsThatClusterOnly() {
        seedProd();
        ClusterConfig noCa =
                new ClusterConfig(
                        "prod",
                        ClusterConfig.Kind.KUBERNETES,
                        emulator.server("prod"),
                        "/nonexistent/prod-ca.pem",
                        null,
                        null,
                        null,
                        ClusterConfig.AKS_AUDIENCE);

        UsedImages inventory = collect(LIMITS, noCa);

        assertFalse(inventory.complete());
        assertTrue(
                inventory
                        .clusters()
                        .get(0)
                        .error()
                        .contains("cannot read caFile /nonexistent/prod-ca.pem"),
                inventory.clusters().get(0).error());
    }

    @Test
    void noClusterConfiguredIsNeverComplete() {
        UsedImages inventory = new InventoryCollector(List.of(), LIMITS, CLOCK).collect("run-1");

        assertFalse(inventory.complete());
        assertTrue(inventory.images().isEmpty());
    }
}
