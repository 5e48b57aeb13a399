package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.report.RunPages;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunSelection;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.functions.HostStandIn;
import io.acrretention.wiring.FunctionApp;
import io.acrretention.wiring.StorageAccount;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run page in Azure: written into the run container when the last repository ends, served over
 * HTTP.
 */
class RunReportHttpIT {
    BlobContainerClient blobs;
    RunService functions;
    QueueClient repositories;
    QueueClient poison;

    @BeforeEach
    void setUp() throws Exception {
        Azurite azurite = Azurite.get();
        blobs = azurite.newContainer("page");
        var storage =
                new StorageAccount(
                        azurite.blobServiceClientBuilder(), azurite.queueServiceClientBuilder());
        repositories = azurite.emptyQueue(RepositoryMessage.QUEUE);
        poison = azurite.emptyQueue(RunQueues.REPOSITORIES_POISON);
        SnapshotRegistry registry;
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
                 "policy": {"maxInventoryAge": "P3650D"}}""",
                        "test");
        Clock clock = Clock.fixed(registry.snapshotAt(), ZoneOffset.UTC);
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

    private HttpResponseMessage get(String runId) {
        return new RunReportHttp(() -> functions)
                .run(
                        HostStandIn.request(
                                HttpMethod.GET,
                                "https://app.example.com/api/runs/" + runId + "/report",
                                null),
                        runId,
                        HostStandIn.context("RunReportHttp"));
    }

    @Test
    void theLastRepositoryOfARunWritesThePageAsHtmlIntoTheRunContainerAndTheFunctionServesIt()
            throws Exception {
        String runId = "20261123T000000Z-0a0a";
        functions.startAndEnqueue(runId, "test", RunSelection.EVERYTHING);
        assertTrue(
                !blobs.getBlobClient(RunDocuments.runPagePath(runId)).exists(),
                "not before the run has ended");
        ApplyRetentionQueue worker = new ApplyRetentionQueue(() -> functions);
        assertEquals(
                0,
                HostStandIn.drain(
                        repositories,
                        poison,
                        4,
                        ApplyRetentionQueue.MAX_DEQUEUE_COUNT,
                        (m, n) -> worker.run(m, n, HostStandIn.context("ApplyRetentionQueue"))));

        var blob = blobs.getBlobClient(RunDocuments.runPagePath(runId));
        assertTrue(blob.exists(), "written when the last repository ended");
        assertEquals("text/html; charset=utf-8", blob.getProperties().getContentType());
        assertTrue(blob.downloadContent().toString().contains("legacy/batch"));

        HttpResponseMessage page = get(runId);
        assertEquals(200, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeader("Content-Type"));
        assertEquals(RunPages.CONTENT_SECURITY_POLICY, page.getHeader("Content-Security-Policy"));
        String html = page.getBody().toString();
        assertTrue(html.contains("<span id=\"status\" class=\"badge done\">done</span>"), html);
        assertTrue(html.contains("up to "), "bytes are labelled as upper bounds");
    }

    @Test
    void anUnknownRunIs404AndAMalformedIdIs400() {
        assertEquals(404, get("20261123T000000Z-ffff").getStatusCode());
        assertEquals(400, get("..%2Fsecrets").getStatusCode());
    }
}
