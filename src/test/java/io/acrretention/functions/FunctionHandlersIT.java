package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.config.ConfigException;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.json.Json;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunRequest;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.functions.HostStandIn;
import io.acrretention.wiring.FunctionApp;
import io.acrretention.wiring.StorageAccount;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP and queue handlers, called as the host calls them, with real Azurite storage and the
 * bundled demo registry: requests, bad input of every kind, and what each answers.
 */
class FunctionHandlersIT {
    BlobContainerClient blobs;
    StorageAccount storage;
    SnapshotRegistry registry;
    RunService functions;
    QueueClient repositories;
    QueueClient runs;
    QueueClient poison;

    @BeforeEach
    void setUp() throws Exception {
        Azurite azurite = Azurite.get();
        blobs = azurite.newContainer("handlers");
        storage =
                new StorageAccount(
                        azurite.blobServiceClientBuilder(), azurite.queueServiceClientBuilder());
        repositories = Azurite.get().emptyQueue(RepositoryMessage.QUEUE);
        runs = Azurite.get().emptyQueue(RunRequest.QUEUE);
        poison = Azurite.get().emptyQueue(RunQueues.REPOSITORIES_POISON);
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
                 "policy": {"mode": "delete", "maxInventoryAge": "P3650D"}}""",
                        "test");
        Clock clock = Clock.fixed(registry.snapshotAt(), java.time.ZoneOffset.UTC);
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

    private HttpResponseMessage post(String body) {
        return new StartRunHttp(() -> functions)
                .run(
                        HostStandIn.request(
                                HttpMethod.POST, "https://app.example.com/api/runs", body),
                        HostStandIn.context("StartRunHttp"));
    }

    private HttpResponseMessage status(String runId) {
        return new RunStatusHttp(() -> functions)
                .run(
                        HostStandIn.request(
                                HttpMethod.GET, "https://app.example.com/api/runs/" + runId, null),
                        runId,
                        HostStandIn.context("RunStatusHttp"));
    }

    private static JsonNode json(HttpResponseMessage r) throws Exception {
        return Json.MAPPER.readTree(r.getBody().toString());
    }

    private int drainRepositories() throws Exception {
        ApplyRetentionQueue worker = new ApplyRetentionQueue(() -> functions);
        return HostStandIn.drain(
                repositories,
                poison,
                4,
                ApplyRetentionQueue.MAX_DEQUEUE_COUNT,
                (m, n) -> worker.run(m, n, HostStandIn.context("ApplyRetentionQueue")));
    }

    @Test
    void aManualRunAnswers202WithItsIdAndStatusUrlThenRunsThroughTheQueues() throws Exception {
        HttpResponseMessage accepted = post("{\"repositories\": [\"app/**\"], \"dryRun\": true}");
        assertEquals(202, accepted.getStatusCode());
        String runId = json(accepted).get("runId").asText();
        assertEquals(
                "https://app.example.com/api/runs/" + runId,
                json(accepted).get("statusUrl").asText());
        assertEquals(json(accepted).get("statusUrl").asText(), accepted.getHeader("Location"));
        assertEquals("queued", json(status(runId)).get("status").asText());

        StartRunQueue starter = new StartRunQueue(() -> functions);
        HostStandIn.drain(
                runs,
                Azurite.get().emptyQueue(RunQueues.RUNS_POISON),
                1,
                3,
                (m, n) -> starter.run(m, HostStandIn.context("StartRunQueue")));
        assertEquals(0, drainRepositories());

        JsonNode summary = json(status(runId));
        assertEquals("done", summary.get("status").asText());
        assertEquals(
                "dry-run",
                summary.get("mode").asText(),
                "the request narrowed a delete configuration");
        assertEquals(
                2, summary.get("repositories").get("total").asInt(), "only app/** was asked for");
        assertEquals(0, summary.get("results").path("deleted").asInt());
    }

    @Test
    void aRequestBodyThatAsksForSomethingInvalidGets400AndStartsNothing() throws Exception {
        for (String body :
                List.of(
                        "{\"mode\": \"delete\"}",
                        "{\"registries\": [\"evil.azurecr.io\"]}",
                        "{\"dryRun\": \"yes\"}",
                        "{\"repos\": []}",
                        "not json",
                        "[1]")) {
            HttpResponseMessage r = post(body);
            assertEquals(400, r.getStatusCode(), body);
            assertTrue(json(r).get("error").asText().length() > 10, body);
        }
        assertEquals(0, runs.getProperties().getApproximateMessagesCount());
    }

    @Test
    void theStatusOfAnUnknownOrMalformedRunIdIsNotFoundOrBadRequest() throws Exception {
        assertEquals(404, status("20261123T000000Z-0000").getStatusCode());
        HttpResponseMessage bad = status("../../etc");
        assertEquals(400, bad.getStatusCode());
        assertTrue(json(bad).get("error").asText().contains("not a run id"));
    }

    @Test
    void aPoisonMessageGoesToThePoisonQueueAtOnceAndDeletesNothing() throws Exception {
        int before = registry.artifacts("app/api").manifests().size();
        for (String bad :
                List.of(
                        "not json",
                        "{\"version\": 2, \"runId\": \"r\"}",
                        "{\"version\": 1, \"runId\": \"r1\", \"registry\": \"demo.azurecr.io\", \"repository\": \"app/api\","
                                + " \"inventory\": \"inventory/other.json\", \"mode\": \"delete\"}",
                        "{\"version\": 1, \"runId\": \"20261123T000000Z-0001\", \"registry\": \"demo.azurecr.io\","
                                + " \"repository\": \"app/api\", \"inventory\": \"inventory/20261123T000000Z-0001.json\","
                                + " \"mode\": \"delete\"}")) {
            repositories.sendMessage(bad);
        }
        assertEquals(0, drainRepositories(), "rejected without a retry");
        assertEquals(4, poison.getProperties().getApproximateMessagesCount());
        assertEquals(before, registry.artifacts("app/api").manifests().size());
        // The message whose inventory does not exist is recorded against its run.
        assertTrue(
                blobs.getBlobClient("failures/20261123T000000Z-0001/demo.azurecr.io/app/api.json")
                        .exists());
    }

    @Test
    void aRunRequestThatCanNeverStartGoesToThePoisonQueueAtOnceAndStartsNothing() throws Exception {
        QueueClient runsPoison = Azurite.get().emptyQueue(RunQueues.RUNS_POISON);
        for (String bad :
                List.of(
                        "not json",
                        "{\"version\": 2, \"runId\": \"20261123T000000Z-0001\"}",
                        // queued before the configuration dropped the registry it names
                        "{\"version\": 1, \"runId\": \"20261123T000000Z-0002\","
                                + " \"requestedAt\": \"2026-11-23T00:00:00Z\","
                                + " \"scope\": {\"registries\": [\"gone.azurecr.io\"]}}")) {
            runs.sendMessage(bad);
        }
        StartRunQueue starter = new StartRunQueue(() -> functions);
        int failures =
                HostStandIn.drain(
                        runs,
                        runsPoison,
                        1,
                        3,
                        (m, n) -> starter.run(m, HostStandIn.context("StartRunQueue")));

        assertEquals(0, failures, "rejected without a retry");
        assertEquals(3, runsPoison.getProperties().getApproximateMessagesCount());
        assertEquals(0, repositories.getProperties().getApproximateMessagesCount());
        assertFalse(blobs.getBlobClient("runs/20261123T000000Z-0002/run.json").exists());
    }

    @Test
    void aRequestedRunThatCanNeverStartAnswersRejectedWithTheReasonInsteadOfQueued()
            throws Exception {
        QueueClient runsPoison = Azurite.get().emptyQueue(RunQueues.RUNS_POISON);
        String runId = "20261123T000000Z-0003";
        // Accepted while the configuration named this registry; the configuration lost it since.
        String request =
                "{\"version\": 1, \"runId\": \""
                        + runId
                        + "\", \"requestedAt\": \"2026-11-23T00:00:00Z\","
                        + " \"scope\": {\"registries\": [\"gone.azurecr.io\"]}}";
        blobs.getBlobClient("runs/" + runId + "/request.json")
                .upload(BinaryData.fromString(request));
        assertEquals("queued", json(status(runId)).get("status").asText());
        runs.sendMessage(request);

        StartRunQueue starter = new StartRunQueue(() -> functions);
        HostStandIn.drain(
                runs,
                runsPoison,
                1,
                3,
                (m, n) -> starter.run(m, HostStandIn.context("StartRunQueue")));

        HttpResponseMessage answer = status(runId);
        assertEquals(200, answer.getStatusCode());
        assertEquals("rejected", json(answer).get("status").asText());
        assertTrue(
                json(answer).get("reason").asText().contains("gone.azurecr.io"),
                json(answer).toString());
    }

    @Test
    void aMalformedConfigurationSettingFailsWithTheSettingAndThePath() {
        Function<String, String> settings =
                Map.of(
                                "RETENTION_CONFIG",
                                "{\"registries\": [{\"endpoint\": \"https://a.azurecr.io\"}], \"clusters\": [], "
                                        + "\"policy\": {\"keepRecent\": -1}}")
                        ::get;
        ConfigException e =
                assertThrows(ConfigException.class, () -> FunctionApp.config(settings, blobs));
        assertTrue(e.getMessage().contains("app setting RETENTION_CONFIG"), e.getMessage());
        assertTrue(
                e.getMessage().contains("policy.keepRecent: must not be negative"), e.getMessage());

        ConfigException neither =
                assertThrows(ConfigException.class, () -> FunctionApp.config(k -> null, blobs));
        assertTrue(
                neither.getMessage().contains("exactly one of the app settings RETENTION_CONFIG"));
    }

    @Test
    void theConfigurationCanComeFromABlob() {
        blobs.createIfNotExists();
        blobs.getBlobClient("config/retention.json")
                .upload(
                        com.azure.core.util.BinaryData.fromString(
                                """
                {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [], "policy": {"keepRecent": 4}}"""));
        RetentionConfig c =
                FunctionApp.config(
                        Map.of("RETENTION_CONFIG_BLOB", "config/retention.json")::get, blobs);
        assertEquals(4, c.policy().base().keepRecent());
    }
}
