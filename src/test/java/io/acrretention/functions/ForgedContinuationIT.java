package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.json.Json;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.retention.Mode;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunSelection;
import io.acrretention.run.StartedRun;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.testing.Azurite;
import io.acrretention.wiring.FunctionApp;
import io.acrretention.wiring.StorageAccount;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A continuation applies a stored plan, so the plan is checked before anything is applied: it must
 * name the message's run, registry and repository and be older than the message. Otherwise the
 * message goes to the poison queue at once, its reason in the run's failures, and nothing is
 * deleted.
 */
class ForgedContinuationIT {
    BlobContainerClient blobs;
    SnapshotRegistry registry;
    RunService functions;
    QueueClient repositories;
    QueueClient poison;
    Clock clock;

    @BeforeEach
    void setUp() throws Exception {
        Azurite azurite = Azurite.get();
        blobs = azurite.newContainer("forged");
        var storage =
                new StorageAccount(
                        azurite.blobServiceClientBuilder(), azurite.queueServiceClientBuilder());
        repositories = azurite.emptyQueue(RepositoryMessage.QUEUE);
        poison = azurite.emptyQueue(RunQueues.REPOSITORIES_POISON);
        try (var in =
                getClass().getClassLoader().getResourceAsStream("demo/registry-snapshot.json")) {
            registry = SnapshotRegistry.load(in, "demo snapshot");
        }
        RetentionConfig config =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://demo.azurecr.io"}],
                 "clusters": [{"name": "prod", "kind": "endpoint", "url": "https://inventory.example.com/images",
                               "audience": "api://inventory"}],
                 "policy": {"mode": "delete", "untagged": "delete"}}""",
                        "test");
        // Real time: the cleaner's deadline is measured on it.
        clock = Clock.systemUTC();
        InventoryCollector collector =
                new InventoryCollector(
                        List.of(
                                new ListedImageSource(
                                        "prod", List.of("demo.azurecr.io/app/api:latest"))),
                        config.limits(),
                        clock);
        functions =
                FunctionApp.build(
                        config,
                        Map.<String, Registry>of(registry.loginServer(), registry),
                        collector,
                        blobs,
                        storage,
                        clock);
    }

    /**
     * A started run whose app/api has a stored plan and a report that stopped at 3, all in dry run
     * so far; the continuation asks for delete, as the configuration allows.
     */
    private RepositoryMessage halfDone() throws Exception {
        StartedRun run =
                functions.startAndEnqueue("20261123T000000Z-0001", "test", RunSelection.DRY_RUN);
        RepositoryMessage first =
                run.messages().stream()
                        .filter(m -> m.repository().equals("app/api"))
                        .findFirst()
                        .orElseThrow();
        functions.apply(first.toJson(), 1, 3);
        String report = "reports/" + first.runId() + "/demo.azurecr.io/app/api.json";
        ObjectNode r =
                (ObjectNode)
                        Json.MAPPER.readTree(
                                blobs.getBlobClient(report).downloadContent().toBytes());
        var entries = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 3; i++) {
            entries.add(r.get("entries").get(i));
        }
        r.set("entries", entries);
        r.put("complete", false).put("nextIndex", 3);
        blobs.getBlobClient(report)
                .upload(BinaryData.fromBytes(Json.MAPPER.writeValueAsBytes(r)), true);
        Azurite.get().emptyQueue(RepositoryMessage.QUEUE);
        return new RepositoryMessage(
                1,
                first.runId(),
                first.registry(),
                first.repository(),
                first.inventory(),
                Mode.DELETE,
                3,
                clock.instant());
    }

    private ObjectNode storedPlan(RepositoryMessage m) throws Exception {
        return (ObjectNode)
                Json.MAPPER.readTree(blobs.getBlobClient(planPath(m)).downloadContent().toBytes());
    }

    private static String planPath(RepositoryMessage m) {
        return "plans/" + m.runId() + "/" + m.registry() + "/" + m.repository() + ".json";
    }

    private void replacePlan(RepositoryMessage m, ObjectNode plan) throws Exception {
        blobs.getBlobClient(planPath(m))
                .upload(BinaryData.fromBytes(Json.MAPPER.writeValueAsBytes(plan)), true);
    }

    private String poisoned(RepositoryMessage m) throws Exception {
        int before = registry.artifacts("app/api").manifests().size();
        functions.apply(m.toJson(), 1, 3);
        assertEquals(1, poison.getProperties().getApproximateMessagesCount(), "poisoned at once");
        assertEquals(before, registry.artifacts("app/api").manifests().size(), "nothing deleted");
        assertEquals(
                0, repositories.getProperties().getApproximateMessagesCount(), "no continuation");
        return blobs.getBlobClient("failures/" + m.runId() + "/demo.azurecr.io/app/api.json")
                .downloadContent()
                .toString();
    }

    @Test
    void aPlanThatNamesAnotherRepositoryMakesTheContinuationPoison() throws Exception {
        RepositoryMessage next = halfDone();
        ObjectNode plan = storedPlan(next);
        ((ObjectNode) plan.get("plan")).put("repository", "app/web");
        replacePlan(next, plan);
        assertTrue(poisoned(next).contains("not the message's run"));
    }

    @Test
    void aPlanOfAnotherRunMakesTheContinuationPoison() throws Exception {
        RepositoryMessage next = halfDone();
        replacePlan(next, storedPlan(next).put("runId", "20261122T000000Z-0002"));
        assertTrue(poisoned(next).contains("names run 20261122T000000Z-0002"));
    }

    @Test
    void aPlanMadeAfterTheContinuationWasSentMakesItPoison() throws Exception {
        RepositoryMessage next = halfDone();
        ObjectNode plan = storedPlan(next);
        ((ObjectNode) plan.get("plan"))
                .put("plannedAt", clock.instant().plusSeconds(60).toString());
        replacePlan(next, plan);
        assertTrue(poisoned(next).contains("not before the continuation"));
    }

    @Test
    void theGenuinePlanContinuesWhereTheReportStopped() throws Exception {
        RepositoryMessage next = halfDone();
        int before = registry.artifacts("app/api").manifests().size();
        functions.apply(next.toJson(), 1, 3);
        assertTrue(
                registry.artifacts("app/api").manifests().size() < before,
                "the continuation deletes");
        assertEquals(0, poison.getProperties().getApproximateMessagesCount());
        String report =
                blobs.getBlobClient("reports/" + next.runId() + "/demo.azurecr.io/app/api.json")
                        .downloadContent()
                        .toString();
        assertTrue(report.contains("\"complete\" : true"), report);
    }
}
