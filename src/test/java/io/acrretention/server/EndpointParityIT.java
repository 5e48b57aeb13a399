package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.acrretention.config.ClusterConfig;
import io.acrretention.config.Limits;
import io.acrretention.image.ImageReference;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The retention app reading a cluster through this server (the endpoint kind, over HTTPS, with an
 * Entra-like token) learns the same used images as reading the cluster's API directly.
 */
class EndpointParityIT {
    static final Limits LIMITS =
            new Limits(
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(60),
                    32L * 1024 * 1024,
                    8,
                    Duration.ofSeconds(20),
                    16);

    @TempDir Path dir;
    ServerFixture f;

    @BeforeEach
    void setUp() {
        f = new ServerFixture(dir);
        f.cluster.generate(300, 3);
        f.cluster.add(
                "cronjobs",
                K8sObjects.cronJob(
                        "ops",
                        "backup",
                        new K8sObjects.Spec()
                                .container(
                                        "backup",
                                        "mactemp.azurecr.io/ops/backup@"
                                                + K8sObjects.digest("backup"))));
        f.cluster.add(
                "daemonsets",
                K8sObjects.workload(
                        "DaemonSet",
                        "kube-system",
                        "agent",
                        new K8sObjects.Spec()
                                .container(
                                        "agent", "#{Octopus.Action.Package[agent].PackageVersion}")
                                .container("proxy", "envoy")));
        f.cluster.add(
                "jobs",
                K8sObjects.workload(
                        "Job",
                        "ops",
                        "once",
                        new K8sObjects.Spec()
                                .container(
                                        "once",
                                        "mactemp.azurecr.io/ops/once:1.0@"
                                                + K8sObjects.digest("once"))));
        f.emulator
                .addCluster(
                        "edge-direct",
                        TestTokens.tokenFor(ClusterConfig.AKS_AUDIENCE + "/.default"))
                .sameObjectsAs(f.cluster);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    UsedImages collect(ClusterConfig cluster, TokenCredential credential) {
        ImageSources sources = new ImageSources(credential, LIMITS, ArmEndpoint.azurePublic());
        return new InventoryCollector(sources.create(List.of(cluster)), LIMITS, Clock.systemUTC())
                .collect("parity");
    }

    @Test
    void theEndpointThroughThisServerReportsWhatTheDirectListingReports() {
        f.start();
        // What the app's managed identity would be handed for the endpoint's audience.
        String token = f.entraToken();
        TokenCredential managedIdentity =
                ctx -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusMinutes(5)));

        UsedImages direct =
                collect(
                        new ClusterConfig(
                                "edge",
                                ClusterConfig.Kind.KUBERNETES,
                                f.emulator.server("edge-direct"),
                                null,
                                ServerFixture.CERTS.caPem(),
                                null,
                                null,
                                ClusterConfig.AKS_AUDIENCE),
                        TestTokens.perScope());
        UsedImages viaServer =
                collect(
                        new ClusterConfig(
                                "edge",
                                ClusterConfig.Kind.ENDPOINT,
                                null,
                                null,
                                ServerFixture.CERTS.caPem(),
                                null,
                                URI.create(f.server.url() + "/images"),
                                ServerFixture.ENTRA_AUDIENCE),
                        managedIdentity);

        assertTrue(direct.complete(), direct.clusters().toString());
        assertTrue(viaServer.complete(), viaServer.clusters().toString());
        assertTrue(
                direct.images().size() > 200,
                "the cluster is not trivial: " + direct.images().size());
        // Every reference the direct listing found, and every digest it saw run, arrives through
        // the endpoint.
        Set<String> endpointReferences =
                viaServer.images().stream().map(UsedImage::reference).collect(Collectors.toSet());
        for (UsedImage image : direct.images()) {
            assertTrue(endpointReferences.contains(image.reference()), image.reference());
            if (image.digest() != null) {
                ImageReference ref = ImageReference.parse(image.reference());
                String withDigest =
                        ref.digest().isPresent()
                                ? ref.toString()
                                : ImageReference.of(
                                                ref.registry(),
                                                ref.repository(),
                                                ref.tag().orElse(null),
                                                image.digest())
                                        .toString();
                assertTrue(endpointReferences.contains(withDigest), withDigest);
            }
        }
        // ... and nothing else: each endpoint reference is one the direct listing found, or it with
        // its digest.
        Set<String> expected = new TreeSet<>();
        direct.images()
                .forEach(
                        i -> {
                            expected.add(i.reference());
                            if (i.digest() != null && !i.reference().contains("@")) {
                                expected.add(i.reference() + "@" + i.digest());
                            }
                        });
        assertEquals(expected, new TreeSet<>(endpointReferences));
        // So retention sees the same tags and digests in use, repository by repository.
        for (UsedImage image : direct.images()) {
            ImageReference ref = ImageReference.parse(image.reference());
            assertEquals(
                    direct.usageOf(ref.registry(), ref.repository()),
                    viaServer.usageOf(ref.registry(), ref.repository()),
                    ref.name());
        }
        assertEquals(
                direct.ignored().stream()
                        .map(IgnoredReference::reference)
                        .filter(r -> !r.isBlank())
                        .toList(),
                viaServer.ignored().stream().map(IgnoredReference::reference).toList());
    }
}
