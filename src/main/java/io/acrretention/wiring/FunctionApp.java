package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import io.acrretention.config.ConfigException;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.kubernetes.ArmEndpoint;
import io.acrretention.quarantine.Restorer;
import io.acrretention.registry.PullLogs;
import io.acrretention.registry.Registry;
import io.acrretention.report.RunPages;
import io.acrretention.run.EndOfRunVerification;
import io.acrretention.run.InventoryCache;
import io.acrretention.run.RepositoryMessage;
import io.acrretention.run.RepositoryProcessor;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunRequest;
import io.acrretention.run.RunStarter;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunVerifier;
import io.acrretention.service.RunCompletion;
import io.acrretention.service.RunQueues;
import io.acrretention.service.RunService;
import io.acrretention.store.BlobDeleteBudget;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.telemetry.LogBridge;
import io.acrretention.telemetry.RunTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * The function app's composition root: builds its {@link RunService} and {@link Restorer} once per
 * function instance from the app settings (local.settings.sample.json): the configuration, the
 * managed identity, identity-based storage, the registries and clusters.
 */
public final class FunctionApp {
    private static volatile RunService shared;
    private static volatile Restorer restorer;

    private FunctionApp() {}

    /** The instance's services, built on first use from the environment. */
    public static RunService shared() {
        RunService s = shared;
        if (s == null) {
            synchronized (FunctionApp.class) {
                if (shared == null) {
                    shared = fromSettings(System::getenv);
                }
                s = shared;
            }
        }
        return s;
    }

    /**
     * The instance's restorer, built on first use from the environment (registries and the run
     * container).
     */
    public static Restorer restorer() {
        Restorer r = restorer;
        if (r == null) {
            synchronized (FunctionApp.class) {
                if (restorer == null) {
                    restorer = restorerFromSettings(System::getenv);
                }
                r = restorer;
            }
        }
        return r;
    }

    private static Restorer restorerFromSettings(Function<String, String> settings) {
        TokenCredential identity = managedIdentity(settings.apply("AZURE_CLIENT_ID"));
        BlobContainerClient blobs =
                StorageAccount.fromSettings(settings, identity)
                        .container(orDefault(settings.apply("RETENTION_CONTAINER"), "retention"));
        RetentionConfig config = config(settings, blobs);
        return new Restorer(
                Adapters.registries(config, identity, null),
                new BlobDocumentStore(blobs),
                Clock.systemUTC());
    }

    /** Everything from app settings; {@code settings} is {@code System::getenv} in Azure. */
    public static RunService fromSettings(Function<String, String> settings) {
        TokenCredential identity = managedIdentity(settings.apply("AZURE_CLIENT_ID"));
        StorageAccount storage = StorageAccount.fromSettings(settings, identity);
        String container = orDefault(settings.apply("RETENTION_CONTAINER"), "retention");
        BlobContainerClient blobs = storage.container(container);
        RetentionConfig config = config(settings, blobs);
        Clock clock = Clock.systemUTC();
        return build(
                config,
                Adapters.registries(config, identity, null),
                Adapters.collector(config, identity, ArmEndpoint.azurePublic(), clock),
                Adapters.pullLogs(config, identity, null),
                blobs,
                storage,
                clock,
                GlobalOpenTelemetry.get());
    }

    /** Wires the services over given adapters; tests give emulators and Azurite here. */
    public static RunService build(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            BlobContainerClient blobs,
            StorageAccount storage,
            Clock clock) {
        return build(
                config,
                registries,
                collector,
                PullLogs.NONE,
                blobs,
                storage,
                clock,
                GlobalOpenTelemetry.get());
    }

    /**
     * @param openTelemetry where logs and metrics go: in Azure the Application Insights agent's
     *     (global), in tests an SDK with in-memory exporters
     */
    public static RunService build(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            PullLogs pullLogs,
            BlobContainerClient blobs,
            StorageAccount storage,
            Clock clock,
            OpenTelemetry openTelemetry) {
        LogBridge.install(openTelemetry);
        RunDocuments documents = new RunDocuments(new BlobDocumentStore(blobs));
        RunStarter starter =
                new RunStarter(config, registries, collector, pullLogs, documents, clock);
        RepositoryProcessor processor =
                new RepositoryProcessor(
                        config,
                        registries,
                        new InventoryCache(documents),
                        documents,
                        Adapters.cleaners(config),
                        runId ->
                                new BlobDeleteBudget(
                                        blobs,
                                        RunDocuments.deletesPath(runId),
                                        config.policy().maxDeletesPerRun()),
                        clock);
        RunStatusReader status = new RunStatusReader(documents);
        RunPages pages = new RunPages(documents, status, clock);
        RunTelemetry telemetry = new RunTelemetry(openTelemetry);
        return new RunService(
                config,
                starter,
                processor,
                status,
                documents,
                new RunQueues(
                        storage.queue(RepositoryMessage.QUEUE),
                        storage.queue(RunQueues.REPOSITORIES_POISON),
                        storage.queue(RunRequest.QUEUE),
                        storage.queue(RunQueues.RUNS_POISON)),
                clock,
                pages,
                telemetry,
                new RunCompletion(
                        documents,
                        status,
                        new EndOfRunVerification(documents, new RunVerifier(registries)),
                        pages,
                        telemetry,
                        path -> createOnce(blobs, path)));
    }

    /**
     * Creates an empty blob unless one exists (If-None-Match: *); true for the caller that created
     * it.
     */
    private static boolean createOnce(BlobContainerClient blobs, String path) {
        try {
            blobs.getBlobClient(path).upload(com.azure.core.util.BinaryData.fromString(""), false);
            return true;
        } catch (com.azure.storage.blob.models.BlobStorageException e) {
            if (e.getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /**
     * {@code RETENTION_CONFIG} (inline JSON) or {@code RETENTION_CONFIG_BLOB} (a blob in the run
     * container); exactly one of them.
     */
    public static RetentionConfig config(
            Function<String, String> settings, BlobContainerClient blobs) {
        String inline = settings.apply("RETENTION_CONFIG");
        String blob = settings.apply("RETENTION_CONFIG_BLOB");
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasBlob = blob != null && !blob.isBlank();
        if (hasInline == hasBlob) {
            throw new ConfigException(
                    null,
                    java.util.List.of(
                            "set exactly one of the app settings RETENTION_CONFIG "
                                    + "(inline JSON) and RETENTION_CONFIG_BLOB (a blob path in the container "
                                    + blobs.getBlobContainerName()
                                    + ")"));
        }
        if (hasInline) {
            return ConfigParser.parse(inline, "app setting RETENTION_CONFIG");
        }
        return ConfigParser.parse(
                blobs.getBlobClient(blob).downloadContent().toString(),
                "blob " + blobs.getBlobContainerName() + "/" + blob + " (RETENTION_CONFIG_BLOB)");
    }

    static TokenCredential managedIdentity(String clientId) {
        ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
        return (clientId == null || clientId.isBlank() ? b : b.clientId(clientId)).build();
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
