package io.acrretention.functions;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
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
import io.acrretention.run.RunStarter;
import io.acrretention.run.RunStatusReader;
import io.acrretention.run.RunVerifier;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.telemetry.LogBridge;
import io.acrretention.telemetry.RunTelemetry;
import io.acrretention.wiring.Wiring;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds {@link FunctionRuns} once per function instance from the app settings
 * (local.settings.sample.json): the configuration, the managed identity, identity-based storage,
 * the registries and clusters.
 */
public final class AppServices {
    private static volatile FunctionRuns shared;
    private static volatile Restorer restorer;

    private AppServices() {}

    /** The instance's services, built on first use from the environment. */
    public static FunctionRuns shared() {
        FunctionRuns s = shared;
        if (s == null) {
            synchronized (AppServices.class) {
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
            synchronized (AppServices.class) {
                if (restorer == null) {
                    restorer = restorerFromSettings(System::getenv);
                }
                r = restorer;
            }
        }
        return r;
    }

    static Restorer restorerFromSettings(Function<String, String> settings) {
        TokenCredential identity = managedIdentity(settings.apply("AZURE_CLIENT_ID"));
        BlobContainerClient blobs =
                StorageClients.fromSettings(settings, identity)
                        .container(orDefault(settings.apply("RETENTION_CONTAINER"), "retention"));
        RetentionConfig config = config(settings, blobs);
        return new Restorer(
                Wiring.registries(config, identity, null),
                new BlobDocumentStore(blobs),
                Clock.systemUTC());
    }

    /** Everything from app settings; {@code settings} is {@code System::getenv} in Azure. */
    public static FunctionRuns fromSettings(Function<String, String> settings) {
        TokenCredential identity = managedIdentity(settings.apply("AZURE_CLIENT_ID"));
        StorageClients storage = StorageClients.fromSettings(settings, identity);
        String container = orDefault(settings.apply("RETENTION_CONTAINER"), "retention");
        BlobContainerClient blobs = storage.container(container);
        RetentionConfig config = config(settings, blobs);
        Clock clock = Clock.systemUTC();
        return build(
                config,
                Wiring.registries(config, identity, null),
                Wiring.collector(config, identity, ArmEndpoint.azurePublic(), clock),
                Wiring.pullLogs(config, identity, null),
                blobs,
                storage,
                clock,
                GlobalOpenTelemetry.get());
    }

    /** Wires the services over given adapters; tests give emulators and Azurite here. */
    public static FunctionRuns build(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            BlobContainerClient blobs,
            StorageClients storage,
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
    public static FunctionRuns build(
            RetentionConfig config,
            Map<String, Registry> registries,
            InventoryCollector collector,
            PullLogs pullLogs,
            BlobContainerClient blobs,
            StorageClients storage,
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
                        Wiring.cleaners(config),
                        runId ->
                                new BlobDeleteBudget(
                                        blobs, runId, config.policy().maxDeletesPerRun()),
                        clock);
        RunStatusReader status = new RunStatusReader(documents);
        RunPages pages = new RunPages(documents, status, clock);
        RunTelemetry telemetry = new RunTelemetry(openTelemetry);
        return new FunctionRuns(
                config,
                starter,
                processor,
                status,
                documents,
                storage.queue(RepositoryMessage.QUEUE),
                storage.queue(FunctionRuns.RUNS_QUEUE),
                storage.queue(FunctionRuns.POISON_QUEUE),
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
    static boolean createOnce(BlobContainerClient blobs, String path) {
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
    static RetentionConfig config(Function<String, String> settings, BlobContainerClient blobs) {
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

    private static TokenCredential managedIdentity(String clientId) {
        ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
        return (clientId == null || clientId.isBlank() ? b : b.clientId(clientId)).build();
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Blob and queue clients of the run storage account, with the JDK HTTP client. */
    public record StorageClients(BlobServiceClientBuilder blobs, QueueServiceClientBuilder queues) {
        public BlobContainerClient container(String name) {
            BlobContainerClient c = blobs.buildClient().getBlobContainerClient(name);
            c.createIfNotExists();
            return c;
        }

        /**
         * Functions' queue triggers read base64 messages, so everything enqueued here is base64.
         */
        public QueueClient queue(String name) {
            QueueClient q =
                    queues.messageEncoding(QueueMessageEncoding.BASE64)
                            .buildClient()
                            .getQueueClient(name);
            q.createIfNotExists();
            return q;
        }

        /**
         * The Functions host's own settings for its storage: {@code AzureWebJobsStorage} as a
         * connection string (locally, Azurite), else identity-based {@code
         * AzureWebJobsStorage__blobServiceUri}/{@code __queueServiceUri} or {@code
         * AzureWebJobsStorage__accountName}.
         */
        static StorageClients fromSettings(
                Function<String, String> settings, TokenCredential identity) {
            HttpClient http = new JdkHttpClientBuilder().build();
            String connection = settings.apply("AzureWebJobsStorage");
            if (connection != null && !connection.isBlank()) {
                return new StorageClients(
                        new BlobServiceClientBuilder()
                                .connectionString(connection)
                                .httpClient(http),
                        new QueueServiceClientBuilder()
                                .connectionString(connection)
                                .httpClient(http));
            }
            String account = settings.apply("AzureWebJobsStorage__accountName");
            String blobUri =
                    orDefault(
                            settings.apply("AzureWebJobsStorage__blobServiceUri"),
                            account == null
                                    ? null
                                    : "https://" + account + ".blob.core.windows.net");
            String queueUri =
                    orDefault(
                            settings.apply("AzureWebJobsStorage__queueServiceUri"),
                            account == null
                                    ? null
                                    : "https://" + account + ".queue.core.windows.net");
            if (blobUri == null || queueUri == null) {
                throw new ConfigException(
                        null,
                        java.util.List.of(
                                "storage is not configured: set "
                                        + "AzureWebJobsStorage__accountName (identity-based), or AzureWebJobsStorage for Azurite"));
            }
            String clientId = settings.apply("AzureWebJobsStorage__clientId");
            TokenCredential storageIdentity =
                    clientId == null || clientId.isBlank()
                            ? identity
                            : new ManagedIdentityCredentialBuilder().clientId(clientId).build();
            return new StorageClients(
                    new BlobServiceClientBuilder()
                            .endpoint(blobUri)
                            .credential(storageIdentity)
                            .httpClient(http),
                    new QueueServiceClientBuilder()
                            .endpoint(queueUri)
                            .credential(storageIdentity)
                            .httpClient(http));
        }
    }
}
