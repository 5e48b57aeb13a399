package io.acrretention.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.registry.Registry;
import io.acrretention.registry.snapshot.SnapshotRegistry;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RunSelection;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.telemetry.LogBridge;
import io.acrretention.testing.Azurite;
import io.acrretention.testing.functions.HostStandIn;
import io.acrretention.wiring.FunctionApp;
import io.acrretention.wiring.StorageAccount;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one run sends to Application Insights, caught by the OpenTelemetry SDK's in-memory exporters
 * in place of the agent's: every log line of the run with runId, registry and repository as
 * attributes, and the run's custom metrics with the dimensions the alerts filter on.
 */
class RunTelemetryIT {
    static final String RUN = "20261123T000000Z-7e1e";
    static final String REGISTRY = "demo.azurecr.io";

    InMemoryLogRecordExporter logs;
    InMemoryMetricReader metrics;
    OpenTelemetrySdk sdk;
    QueueClient repositories;
    QueueClient poison;
    // Held: the demo (run in-process by other tests of this JVM) quiets this logger to WARNING.
    final java.util.logging.Logger app = java.util.logging.Logger.getLogger("io.acrretention");
    java.util.logging.Level level;

    @BeforeEach
    void setUp() {
        level = app.getLevel();
        app.setLevel(java.util.logging.Level.INFO);
        logs = InMemoryLogRecordExporter.create();
        metrics = InMemoryMetricReader.create();
        sdk =
                OpenTelemetrySdk.builder()
                        .setLoggerProvider(
                                SdkLoggerProvider.builder()
                                        .addLogRecordProcessor(
                                                SimpleLogRecordProcessor.create(logs))
                                        .build())
                        .setMeterProvider(
                                SdkMeterProvider.builder().registerMetricReader(metrics).build())
                        .build();
        repositories = Azurite.get().emptyQueue(RepositoryMessage.QUEUE);
        poison = Azurite.get().emptyQueue(RunQueues.REPOSITORIES_POISON);
    }

    @AfterEach
    void tearDown() {
        // Later tests in this JVM must not log into a closed SDK.
        LogBridge.install(io.opentelemetry.api.OpenTelemetry.noop());
        sdk.close();
        app.setLevel(level);
    }

    private RunService functions(String policy) throws Exception {
        Azurite azurite = Azurite.get();
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
                 "policy": %s}"""
                                .formatted(policy),
                        "test");
        // The real clock: the cleaner's time budget runs on it, so a fixed clock in the past would
        // leave none.
        Clock clock = Clock.systemUTC();
        InventoryCollector collector =
                new InventoryCollector(
                        List.of(
                                new ListedImageSource(
                                        "prod", List.of("demo.azurecr.io/app/api:latest"))),
                        config.limits(),
                        clock);
        return FunctionApp.build(
                config,
                Map.<String, Registry>of(registry.loginServer(), registry),
                collector,
                io.acrretention.registry.PullLogs.NONE,
                azurite.newContainer("telemetry"),
                new StorageAccount(
                        azurite.blobServiceClientBuilder(), azurite.queueServiceClientBuilder()),
                clock,
                sdk);
    }

    private void run(RunService functions) throws Exception {
        functions.startAndEnqueue(RUN, "test", RunSelection.EVERYTHING);
        ApplyRetentionQueue worker = new ApplyRetentionQueue(() -> functions);
        assertEquals(
                0,
                HostStandIn.drain(
                        repositories,
                        poison,
                        4,
                        ApplyRetentionQueue.MAX_DEQUEUE_COUNT,
                        (m, n) -> worker.run(m, n, HostStandIn.context("ApplyRetentionQueue"))));
    }

    private Map<String, MetricData> metricsByName() {
        Collection<MetricData> all = metrics.collectAllMetrics();
        return all.stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    }

    private static long sum(MetricData metric, Attributes attributes) {
        return metric.getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(attributes))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    private static String attr(LogRecordData r, String key) {
        return r.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    void everyLogLineOfARepositoryCarriesTheRunRegistryAndRepositoryAsAttributes()
            throws Exception {
        run(functions("{\"mode\": \"delete\"}"));

        List<LogRecordData> lines =
                logs.getFinishedLogRecordItems().stream()
                        .filter(r -> RUN.equals(attr(r, "runId")))
                        .toList();
        assertFalse(lines.isEmpty());
        List<LogRecordData> ofApi =
                lines.stream().filter(r -> "app/api".equals(attr(r, "repository"))).toList();
        assertTrue(
                ofApi.size() >= 3, "planned, cleanup started and ended, applied: " + ofApi.size());
        for (LogRecordData r : ofApi) {
            assertEquals(REGISTRY, attr(r, "registry"));
            assertFalse(
                    r.getBodyValue().asString().startsWith("runId="),
                    "the fields are attributes, not text");
        }
        assertTrue(
                lines.stream()
                        .anyMatch(
                                r ->
                                        r.getBodyValue()
                                                        .asString()
                                                        .startsWith("run started by test")
                                                && attr(r, "repository") == null),
                "run-level lines name no repository");
    }

    @Test
    void aFinishedRunCountsOnceWithItsDeletionsAndBytesPerRegistry() throws Exception {
        RunService functions = functions("{\"mode\": \"delete\"}");
        run(functions);
        var summary = functions.status(RUN).orElseThrow();
        long deleted = summary.results().get("deleted");
        assertTrue(deleted > 0, summary.toString());

        Map<String, MetricData> m = metricsByName();
        Attributes dims = Attributes.builder().put("runId", RUN).put("registry", REGISTRY).build();
        assertEquals(
                1,
                sum(
                        m.get("RunCompleted"),
                        dims.toBuilder().put("status", "done").put("mode", "delete").build()));
        assertEquals(deleted, sum(m.get("ManifestsDeleted"), dims));
        assertEquals(0, sum(m.get("FailedWrites"), dims));
        assertTrue(sum(m.get("BytesFreedUpTo"), dims) > 0);
        assertEquals(sum(m.get("BytesPlannedUpTo"), dims), sum(m.get("BytesFreedUpTo"), dims));
        assertFalse(m.containsKey("RunWithheld"), "nothing was withheld");
    }

    @Test
    void aWithheldRunCountsRunWithheldWithItsReasonAsSoonAsItStarts() throws Exception {
        RunService functions = functions("{\"mode\": \"delete\", \"minUsedImages\": 100}");
        functions.startAndEnqueue(RUN, "test", RunSelection.EVERYTHING);

        Attributes dims =
                Attributes.builder()
                        .put("runId", RUN)
                        .put("registry", REGISTRY)
                        .put("reason", "too-few-used-images")
                        .build();
        assertEquals(1, sum(metricsByName().get("RunWithheld"), dims));
    }
}
