package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.retention.Action;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunRequest;
import io.acrretention.run.RunSummary;
import io.acrretention.run.Verification;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.TestTokens;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.testing.functions.HostStandIn;
import io.acrretention.testing.k8s.EmulatedCluster;
import io.acrretention.testing.k8s.Fault;
import io.acrretention.testing.k8s.K8sObjects;
import io.acrretention.testing.k8s.KubernetesEmulator;
import io.acrretention.wiring.Adapters;
import io.acrretention.wiring.FunctionApp;
import io.acrretention.wiring.StorageAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole product as deployed, minus the host: handlers called directly, with real Blob and Queue
 * storage (Azurite), the real ACR SDK against the loopback ACR emulator, and the Kubernetes source
 * against the loopback Kubernetes API emulator.
 */
class PipelineEndToEndIT {
    static final String LOGIN = "mactemp.azurecr.io";
    static final TokenCredential TOKENS = TestTokens.perScope();
    static final Instant NOW = Instant.now();

    TestCertificates certs;
    AcrEmulator acr;
    KubernetesEmulator k8s;
    BlobContainerClient blobs;
    StorageAccount storage;
    QueueClient repositories;
    QueueClient poison;
    QueueClient runs;
    EmulatedCluster staging;

    @BeforeEach
    void start() {
        certs = TestCertificates.create("e2e-ca");
        acr =
                AcrEmulator.start(
                                certs,
                                LOGIN,
                                TestTokens.tokenFor("https://containerregistry.azure.net/.default"))
                        .pageSize(5);
        k8s = KubernetesEmulator.start(certs);
        Azurite azurite = Azurite.get();
        blobs = azurite.newContainer("e2e");
        storage =
                new StorageAccount(
                        azurite.blobServiceClientBuilder(), azurite.queueServiceClientBuilder());
        repositories = Azurite.get().emptyQueue(RepositoryMessage.QUEUE);
        poison = Azurite.get().emptyQueue(RunQueues.REPOSITORIES_POISON);
        runs = Azurite.get().emptyQueue(RunRequest.QUEUE);
        seedRegistry();
        seedClusters();
    }

    @AfterEach
    void stop() {
        acr.close();
        k8s.close();
    }

    static String digest(String label) {
        return K8sObjects.digest(label);
    }

    private static Manifest image(String label, int ageDays, String... tags) {
        Instant t = NOW.minus(Duration.ofDays(ageDays));
        List<Tag> list = new ArrayList<>();
        for (String tag : tags) {
            list.add(new Tag(tag, digest(label), t, t, true, true));
        }
        return new Manifest(
                digest(label),
                "application/vnd.oci.image.manifest.v1+json",
                1_000_000,
                t,
                t,
                true,
                true,
                list,
                List.of(),
                null);
    }

    /**
     * app/api: 16 builds on main and a feature branch; app/web: 6 releases; tools/cli: nothing in
     * use.
     */
    private void seedRegistry() {
        for (int i = 0; i < 16; i++) {
            String branch = i % 2 == 0 ? "main" : "feature1";
            acr.state()
                    .put(
                            "app/api",
                            image(
                                    "api" + i,
                                    100 + i * 10,
                                    "2.1."
                                            + (16 - i)
                                            + "-"
                                            + String.format("%07x", 0xabc0000 + i)
                                            + "-"
                                            + branch));
        }
        acr.state().put("app/api", image("api-new", 1, "2.2.0-1234567-main", "latest"));
        // An old build still tagged "stable-old" beside the tag a rollback needs: it loses only the
        // unused tag.
        acr.state().put("app/api", image("api-prod", 400, "2.0.0-7654321-main", "stable-old"));
        for (int i = 0; i < 6; i++) {
            acr.state().put("app/web", image("web" + i, 200 + i * 30, "v1." + (6 - i) + ".0"));
        }
        for (int i = 0; i < 12; i++) {
            acr.state().put("tools/cli", image("cli" + i, 300 + i, "0." + i));
        }
    }

    private void seedClusters() {
        // A loopback server is not AKS: it gets a token for its own audience, never the AKS one.
        String aks = TestTokens.tokenFor("api://test-cluster/.default");
        k8s.addCluster("prod", aks)
                .add(
                        "pods",
                        K8sObjects.pod(
                                "shop",
                                "api-1",
                                new K8sObjects.Spec().container("api", LOGIN + "/app/api:latest"),
                                new K8sObjects.Status()
                                        .running("api", LOGIN + "/app/api@" + digest("api-new"))))
                // Rollback history, by tag only: an old api build and an old web release.
                .add(
                        "replicasets",
                        K8sObjects.workload(
                                "ReplicaSet",
                                "shop",
                                "api-old",
                                new K8sObjects.Spec()
                                        .container("api", LOGIN + "/app/api:2.0.0-7654321-main")))
                .add(
                        "replicasets",
                        K8sObjects.workload(
                                "ReplicaSet",
                                "shop",
                                "web-old",
                                new K8sObjects.Spec().container("web", LOGIN + "/app/web:v1.1.0")));
        staging =
                k8s.addCluster("staging", aks)
                        .add(
                                "pods",
                                K8sObjects.pod(
                                        "shop",
                                        "web-1",
                                        new K8sObjects.Spec()
                                                .container(
                                                        "web",
                                                        LOGIN + "/app/web@" + digest("web4")),
                                        null));
    }

    private RetentionConfig config(String mode) {
        return config(mode, "[]");
    }

    private RetentionConfig config(String mode, String overrides) {
        return ConfigParser.parse(
                """
                {"registries": [{"endpoint": "%s", "loginServer": "%s"}],
                 "clusters": [
                   {"name": "prod", "kind": "kubernetes", "server": "%s", "caData": %s, "audience": "api://test-cluster"},
                   {"name": "staging", "kind": "kubernetes", "server": "%s", "caData": %s, "audience": "api://test-cluster"}],
                 "policy": {"mode": "%s", "keepRecent": 3,
                            "keepRecentPerBranch": [{"branch": "main", "keep": 2}], "keepYoungerThan": "P30D",
                            "overrides": %s},
                 "limits": {"clusterTimeout": "PT20S", "deleteConcurrency": 4}}
                """
                        .formatted(
                                acr.endpoint(),
                                LOGIN,
                                k8s.server("prod"),
                                Json.MAPPER.valueToTree(k8s.caPem()),
                                k8s.server("staging"),
                                Json.MAPPER.valueToTree(k8s.caPem()),
                                mode,
                                overrides),
                "test config");
    }

    private RunService functions(String mode) {
        return functions(config(mode));
    }

    private RunService functions(RetentionConfig config) {
        Clock clock = Clock.systemUTC();
        return FunctionApp.build(
                config,
                Adapters.registries(
                        config,
                        TOKENS,
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10))),
                Adapters.collector(config, TOKENS, ArmEndpoint.azurePublic(), clock),
                blobs,
                storage,
                clock);
    }

    /**
     * The timer starts a run, the queue worker drains it (four repositories at once), the status
     * reads it.
     */
    private RunSummary runByTimer(RunService functions) throws Exception {
        new StartRunTimer(() -> functions).run("{}", HostStandIn.context("StartRunTimer"));
        ApplyRetentionQueue worker = new ApplyRetentionQueue(() -> functions);
        HostStandIn.drain(
                repositories,
                poison,
                4,
                ApplyRetentionQueue.MAX_DEQUEUE_COUNT,
                (message, count) ->
                        worker.run(message, count, HostStandIn.context("ApplyRetentionQueue")));
        String runId = latestRunId();
        HttpResponseMessage status =
                new RunStatusHttp(() -> functions)
                        .run(
                                HostStandIn.request(
                                        HttpMethod.GET, "https://app/api/runs/" + runId, null),
                                runId,
                                HostStandIn.context("RunStatusHttp"));
        assertEquals(200, status.getStatusCode(), String.valueOf(status.getBody()));
        return Json.MAPPER.readValue(status.getBody().toString(), RunSummary.class);
    }

    private String latestRunId() {
        List<String> ids = new ArrayList<>();
        blobs.listBlobsByHierarchy("runs/")
                .forEach(b -> ids.add(b.getName().replaceAll("^runs/|/$", "")));
        ids.sort(null);
        return ids.get(ids.size() - 1);
    }

    private List<Report> reports(String runId) throws Exception {
        List<Report> out = new ArrayList<>();
        for (var b :
                blobs.listBlobs(
                        new com.azure.storage.blob.models.ListBlobsOptions()
                                .setPrefix("reports/" + runId + "/"),
                        null)) {
            if (!b.getName().endsWith(".json")) {
                continue; // the run page, index.html
            }
            out.add(
                    Json.MAPPER.readValue(
                            blobs.getBlobClient(b.getName()).downloadContent().toBytes(),
                            Report.class));
        }
        return out;
    }

    @Test
    void aDryRunPlansEveryRepositoryAndChangesNothing() throws Exception {
        String before = acr.state().snapshot();
        RunSummary summary = runByTimer(functions("dry-run"));

        assertEquals(RunSummary.DONE, summary.status(), summary.toString());
        assertEquals(3, summary.repositories().done());
        assertTrue(summary.inventoryComplete());
        assertTrue(summary.manifests().get("delete") > 0);
        assertEquals(0L, summary.bytesReclaimed());
        assertEquals(before, acr.state().snapshot());
        assertEquals(0, acr.counts().writes());
        assertNull(summary.verification(), "a dry run changed nothing to verify");
    }

    @Test
    void deleteModeRemovesExactlyThePlannedManifestsAndASecondRunDeletesNothing() throws Exception {
        RunSummary dry = runByTimer(functions("dry-run"));
        Set<String> planned = new HashSet<>();
        Set<String> untagged = new HashSet<>();
        for (Report r : reports(dry.runId())) {
            for (ReportEntry e : r.entries()) {
                if (e.action() == Action.DELETE) {
                    planned.add(r.repository() + "@" + e.digest());
                } else if (e.action() == Action.UNTAG) {
                    e.untag().forEach(t -> untagged.add(r.repository() + ":" + t));
                }
            }
        }
        assertTrue(untagged.contains("app/api:stable-old"), untagged.toString());

        RunSummary real = runByTimer(functions("delete"));

        assertEquals(RunSummary.DONE, real.status(), real.toString());
        assertTrue(
                real.verification().checked() >= 4,
                "every used image was checked: " + real.verification());
        assertEquals(List.of(), real.verification().missing());
        assertEquals(
                planned.size(),
                real.results().get(Result.DELETED.code()).intValue(),
                real.toString());
        for (String repo : List.of("app/api", "app/web", "tools/cli")) {
            for (Report r : reports(real.runId())) {
                if (!r.repository().equals(repo)) {
                    continue;
                }
                for (ReportEntry e : r.entries()) {
                    boolean gone = !acr.state().hasManifest(repo, e.digest());
                    assertEquals(
                            planned.contains(repo + "@" + e.digest()),
                            gone,
                            repo + "@" + e.digest());
                }
            }
        }
        // What clusters run, by tag, by digest and in rollback history, is all still there.
        assertTrue(acr.state().hasManifest("app/api", digest("api-prod")));
        assertTrue(acr.state().tags("app/api").contains("2.0.0-7654321-main"));
        assertFalse(acr.state().tags("app/api").contains("stable-old"));
        assertTrue(acr.state().hasManifest("app/web", digest("web4")));
        assertTrue(acr.state().tags("app/web").contains("v1.1.0"));
        assertTrue(real.bytesReclaimed() > 0);

        String after = acr.state().snapshot();
        RunSummary again = runByTimer(functions("delete"));
        assertEquals(RunSummary.DONE, again.status());
        assertEquals(0L, again.results().getOrDefault(Result.DELETED.code(), 0L));
        assertEquals(0L, again.manifests().get("delete"));
        assertEquals(after, acr.state().snapshot());
    }

    @Test
    void anOverrideThatDeletesDeletesOnlyItsRepositoriesAndTheRunSaysMixed() throws Exception {
        RunSummary summary =
                runByTimer(
                        functions(
                                config(
                                        "dry-run",
                                        "[{\"repositories\": [\"app/**\"], \"mode\": \"delete\"}]")));

        assertEquals("mixed", summary.mode().json(), summary.toString());
        assertTrue(summary.results().get(Result.DELETED.code()) > 0, summary.toString());
        for (Report r : reports(summary.runId())) {
            boolean deletes = r.repository().startsWith("app/");
            assertEquals(deletes ? "delete" : "dry-run", r.mode().json(), r.repository());
        }
        assertEquals(
                12, acr.state().tags("tools/cli").size(), "tools/cli follows the base dry run");
        String record =
                blobs.getBlobClient("runs/" + summary.runId() + "/run.json")
                        .downloadContent()
                        .toString();
        assertTrue(record.contains("\"mode\" : \"mixed\""), record);
    }

    @Test
    void aUsedImageRemovedBehindTheRunsBackFailsTheRunsVerification() throws Exception {
        AtomicBoolean removed = new AtomicBoolean();
        acr.faults()
                .onRequest(
                        (method, path) -> {
                            if (method.equals("DELETE") && removed.compareAndSet(false, true)) {
                                acr.state().deleteManifest("app/web", digest("web4"));
                            }
                        });

        RunSummary summary = runByTimer(functions("delete"));

        assertEquals(RunSummary.DONE_WITH_FAILURES, summary.status(), summary.toString());
        assertTrue(summary.verification().checked() >= 4, summary.verification().toString());
        assertEquals(1, summary.verification().missing().size(), summary.verification().toString());
        Verification.Missing missing = summary.verification().missing().get(0);
        assertEquals(digest("web4"), missing.reference());
        assertFalse(missing.deletedByThisRun(), "someone else removed it");
        assertTrue(
                summary.failures().stream().anyMatch(f -> f.contains("no longer resolves")),
                summary.failures().toString());
    }

    @Test
    void withOneClusterFailingNothingIsDeletedAndTheSummaryNamesTheCluster() throws Exception {
        String before = acr.state().snapshot();
        staging.fault(Fault.of(Fault.Type.SERVER_ERROR, "pods"));

        RunSummary summary = runByTimer(functions("delete"));

        assertFalse(summary.inventoryComplete());
        assertEquals(before, acr.state().snapshot());
        assertEquals(0, acr.counts().writes());
        assertEquals("inventory-incomplete", summary.withheld().get(0).cause().code());
        assertTrue(
                summary.withheld().get(0).message().contains("staging"),
                summary.withheld().toString());
        JsonNode staging = Json.MAPPER.valueToTree(summary.clusters()).get(1);
        assertEquals("staging", staging.get("name").asText());
        assertEquals("failed", staging.get("status").asText());
        assertTrue(
                summary.results().getOrDefault(Result.PLANNED.code(), 0L) > 0,
                "still planned and reported");
    }
}
