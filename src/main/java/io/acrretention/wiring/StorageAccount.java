package io.acrretention.wiring;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import io.acrretention.config.ConfigException;
import io.acrretention.service.MessageQueue;
import java.util.function.Function;

/** Blob and queue clients of the run storage account, with the JDK HTTP client. */
public record StorageAccount(BlobServiceClientBuilder blobs, QueueServiceClientBuilder queues) {
    public BlobContainerClient container(String name) {
        BlobContainerClient c = blobs.buildClient().getBlobContainerClient(name);
        c.createIfNotExists();
        return c;
    }

    /** Functions' queue triggers read base64 messages, so everything enqueued here is base64. */
    public MessageQueue queue(String name) {
        QueueClient q =
                queues.messageEncoding(QueueMessageEncoding.BASE64)
                        .buildClient()
                        .getQueueClient(name);
        q.createIfNotExists();
        return new MessageQueue() {
            @Override
            public String name() {
                return q.getQueueName();
            }

            @Override
            public void send(String message) {
                q.sendMessage(message);
            }
        };
    }

    /**
     * The Functions host's own settings for its storage: {@code AzureWebJobsStorage} as a
     * connection string (locally, Azurite), else identity-based {@code
     * AzureWebJobsStorage__blobServiceUri}/{@code __queueServiceUri} or {@code
     * AzureWebJobsStorage__accountName}.
     */
    static StorageAccount fromSettings(
            Function<String, String> settings, TokenCredential identity) {
        HttpClient http = new JdkHttpClientBuilder().build();
        String connection = settings.apply("AzureWebJobsStorage");
        if (connection != null && !connection.isBlank()) {
            return new StorageAccount(
                    new BlobServiceClientBuilder().connectionString(connection).httpClient(http),
                    new QueueServiceClientBuilder().connectionString(connection).httpClient(http));
        }
        String account = settings.apply("AzureWebJobsStorage__accountName");
        String blobUri =
                FunctionApp.orDefault(
                        settings.apply("AzureWebJobsStorage__blobServiceUri"),
                        account == null ? null : "https://" + account + ".blob.core.windows.net");
        String queueUri =
                FunctionApp.orDefault(
                        settings.apply("AzureWebJobsStorage__queueServiceUri"),
                        account == null ? null : "https://" + account + ".queue.core.windows.net");
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
                        : FunctionApp.managedIdentity(clientId);
        return new StorageAccount(
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
