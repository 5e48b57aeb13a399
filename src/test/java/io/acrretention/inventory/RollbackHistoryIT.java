package io.acrretention.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.ClusterConfig;
import io.acrretention.config.ExtraResource;
import io.acrretention.config.Limits;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.json.Json;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.Fault;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.K8sObjects.Spec;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import io.acrretention.wiring.ImageSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a cluster may roll back to, or start again, counts as used: the rollback history of every
 * workload kind and the pod templates of configured custom resources, read from the emulated
 * Kubernetes API.
 */
class RollbackHistoryIT {
    static final TestCertificates CERTS = TestCertificates.create("rollback-test-ca");
    static final String AKS_TOKEN = TestTokens.tokenFor(ClusterConfig.AKS_AUDIENCE + "/.default");
    static final Limits LIMITS =
            new Limits(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    32L * 1024 * 1024,
                    8,
                    Duration.ofSeconds(10),
                    16);
    static final String ACR = "mactemp.azurecr.io/";
    static final ExtraResource ROLLOUTS = new ExtraResource("argoproj.io", "v1alpha1", "rollouts");
    static final ExtraResource SCALED_JOBS = new ExtraResource("keda.sh", "v1alpha1", "scaledjobs");
    static final ExtraResource CRON_WORKFLOWS =
            new ExtraResource("argoproj.io", "v1alpha1", "cronworkflows");

    KubernetesEmulator emulator;
    EmulatedCluster prod;

    @BeforeEach
    void start() {
        emulator = KubernetesEmulator.start(CERTS);
        prod = emulator.addCluster("prod", AKS_TOKEN);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    UsedImages collect(ExtraResource... extra) {
        ClusterConfig c =
                new ClusterConfig(
                        "prod",
                        ClusterConfig.Kind.KUBERNETES,
                        emulator.server("prod"),
                        null,
                        CERTS.caPem(),
                        null,
                        null,
                        ClusterConfig.AKS_AUDIENCE,
                        List.of(extra),
                        0);
        ImageSources sources =
                new ImageSources(
                        TestTokens.perScope(),
                        LIMITS,
                        new ArmEndpoint(emulator.armEndpoint(), CERTS.clientContext()),
                        2);
        return new InventoryCollector(
                        sources.create(List.of(c)),
                        LIMITS,
                        Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC))
                .collect("run-1");
    }

    static Set<String> references(UsedImages inventory) {
        return inventory.images().stream()
                .map(UsedImage::reference)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aStatefulSetsPreviousImageThatLivesOnlyInAControllerRevisionIsUsed() {
        prod.add(
                "statefulsets",
                K8sObjects.workload(
                        "StatefulSet",
                        "data",
                        "db",
                        new Spec().container("db", ACR + "infra/postgres:16.2")));
        prod.add(
                "controllerrevisions",
                K8sObjects.controllerRevision(
                        "data",
                        "db",
                        "StatefulSet",
                        1,
                        new Spec()
                                .container("db", ACR + "infra/postgres:16.1")
                                .init("init", ACR + "infra/init:1")));
        prod.add(
                "controllerrevisions",
                K8sObjects.controllerRevision(
                        "data",
                        "db",
                        "StatefulSet",
                        2,
                        new Spec().container("db", ACR + "infra/postgres:16.2")));

        UsedImages inventory = collect();

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(
                Set.of(
                        ACR + "infra/init:1",
                        ACR + "infra/postgres:16.1",
                        ACR + "infra/postgres:16.2"),
                references(inventory));
    }

    @Test
    void aDaemonSetsPreviousImageThatLivesOnlyInAControllerRevisionIsUsed() {
        prod.add(
                "daemonsets",
                K8sObjects.workload(
                        "DaemonSet",
                        "kube-system",
                        "agent",
                        new Spec().container("agent", ACR + "infra/agent:3.1")));
        prod.add(
                "controllerrevisions",
                K8sObjects.controllerRevision(
                        "kube-system",
                        "agent",
                        "DaemonSet",
                        4,
                        new Spec().container("agent", ACR + "infra/agent:3.0")));

        assertTrue(references(collect()).contains(ACR + "infra/agent:3.0"));
    }

    @Test
    void aRevisionOfAnotherControllerWithoutAPodTemplateIsNoFailure() {
        // Controllers other than StatefulSet and DaemonSet keep revisions of their own shape.
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.putObject("data").put("spec", "opaque").putArray("domains").add("a");
        prod.add(
                "controllerrevisions",
                K8sObjects.custom("apps/v1", "ControllerRevision", "vm", "vm-1", data));

        UsedImages inventory = collect();

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(Set.of(), references(inventory));
    }

    @Test
    void aDeploymentScaledToZeroStillUsesItsImage() {
        prod.add(
                "deployments",
                K8sObjects.scaledToZero(
                        "Deployment",
                        "web",
                        "batch-ui",
                        new Spec().container("ui", ACR + "app/batch-ui:5")));

        assertEquals(Set.of(ACR + "app/batch-ui:5"), references(collect()));
    }

    @Test
    void replicationControllersAndPodTemplatesAreRead() {
        prod.add(
                "replicationcontrollers",
                K8sObjects.workload(
                        "ReplicationController",
                        "legacy",
                        "old",
                        new Spec().container("old", ACR + "legacy/old:1")));
        prod.add(
                "podtemplates",
                K8sObjects.podTemplate(
                        "ci", "runner", new Spec().container("runner", ACR + "ci/runner:9")));

        assertEquals(Set.of(ACR + "ci/runner:9", ACR + "legacy/old:1"), references(collect()));
    }

    @Test
    void everyContainerListInsideAnInstalledCustomResourceCounts() {
        prod.installCustomResource("argoproj.io", "v1alpha1", "rollouts", "RolloutList");
        prod.installCustomResource("keda.sh", "v1alpha1", "scaledjobs", "ScaledJobList");
        prod.installCustomResource("argoproj.io", "v1alpha1", "cronworkflows", "CronWorkflowList");
        ObjectNode rollout = Json.MAPPER.createObjectNode();
        rollout.putObject("spec")
                .put("replicas", 0)
                .putObject("template")
                .set(
                        "spec",
                        K8sObjects.podSpec(
                                new Spec()
                                        .container("web", ACR + "app/web:7")
                                        .init("wait", ACR + "app/wait:1")));
        prod.add(
                "rollouts",
                K8sObjects.custom("argoproj.io/v1alpha1", "Rollout", "web", "web", rollout));
        ObjectNode scaledJob = Json.MAPPER.createObjectNode();
        scaledJob
                .putObject("spec")
                .putObject("jobTargetRef")
                .putObject("template")
                .set(
                        "spec",
                        K8sObjects.podSpec(new Spec().container("worker", ACR + "app/worker:3")));
        prod.add(
                "scaledjobs",
                K8sObjects.custom("keda.sh/v1alpha1", "ScaledJob", "jobs", "worker", scaledJob));
        // Argo Workflows name an image in a single container or script, and in sidecars.
        ObjectNode cron = Json.MAPPER.createObjectNode();
        var templates = cron.putObject("spec").putObject("workflowSpec").putArray("templates");
        templates
                .addObject()
                .put("name", "main")
                .putObject("container")
                .put("image", ACR + "app/report:2");
        templates
                .addObject()
                .put("name", "py")
                .putObject("script")
                .put("image", ACR + "app/py:3")
                .put("source", "x");
        templates
                .addObject()
                .put("name", "side")
                .putArray("sidecars")
                .addObject()
                .put("name", "s")
                .put("image", ACR + "app/side:4");
        prod.add(
                "cronworkflows",
                K8sObjects.custom("argoproj.io/v1alpha1", "CronWorkflow", "jobs", "nightly", cron));

        UsedImages inventory = collect(ROLLOUTS, SCALED_JOBS, CRON_WORKFLOWS);

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(
                Set.of(
                        ACR + "app/py:3",
                        ACR + "app/report:2",
                        ACR + "app/side:4",
                        ACR + "app/wait:1",
                        ACR + "app/web:7",
                        ACR + "app/worker:3"),
                references(inventory));
        assertEquals(List.of(), inventory.clusters().get(0).notInstalled());
    }

    @Test
    void aConfiguredCustomResourceThatIsNotInstalledIsReportedNotFailed() {
        // Rollouts are installed under another version only: the configured v1alpha1 list is 404.
        prod.installCustomResource("argoproj.io", "v1beta1", "rollouts", "RolloutList");
        prod.add(
                "pods",
                K8sObjects.pod("web", "p", new Spec().container("app", ACR + "app/api:1"), null));

        UsedImages inventory = collect(ROLLOUTS, SCALED_JOBS);

        assertTrue(inventory.complete(), inventory.clusters().toString());
        assertEquals(
                List.of("rollouts.argoproj.io/v1alpha1", "scaledjobs.keda.sh/v1alpha1"),
                inventory.clusters().get(0).notInstalled());
        assertEquals(Set.of(ACR + "app/api:1"), references(inventory));
    }

    @Test
    void aBuiltInKindAnswering404FailsTheCluster() {
        prod.fault(Fault.of(Fault.Type.NOT_FOUND, "controllerrevisions"));

        UsedImages inventory = collect(ROLLOUTS);

        assertFalse(inventory.complete());
        String error = inventory.clusters().get(0).error();
        assertTrue(error.contains("list controllerrevisions") && error.contains("404"), error);
    }

    @Test
    void aCustomResourceThatMayNotBeListedFailsTheCluster() {
        prod.installCustomResource("argoproj.io", "v1alpha1", "rollouts", "RolloutList");
        prod.fault(Fault.of(Fault.Type.FORBIDDEN, "rollouts"));

        UsedImages inventory = collect(ROLLOUTS);

        assertFalse(inventory.complete());
        assertTrue(
                inventory.clusters().get(0).error().contains("403"),
                inventory.clusters().get(0).error());
    }
}
