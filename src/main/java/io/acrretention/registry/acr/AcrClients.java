package io.acrretention.registry.acr;

import com.azure.containers.containerregistry.ContainerRegistryAsyncClient;
import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.ContainerRegistryServiceVersion;
import com.azure.containers.containerregistry.implementation.AzureContainerRegistryImpl;
import com.azure.containers.containerregistry.implementation.ContainerRegistriesImpl;
import com.azure.containers.containerregistry.implementation.UtilsImpl;
import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Configuration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The SDK clients of one registry, on three pipelines that differ only in retries and in whose
 * token they hold:
 *
 * <ul>
 *   <li>{@code read}: listings, retried by the SDK (3 retries, exponential back-off, honouring
 *       Retry-After), because nothing above a listing retries it;
 *   <li>{@code reread} and {@code write}: the re-reads just before a write, and the writes, never
 *       retried by the SDK: the cleaner owns those retries, since it knows the delete budget, the
 *       deadline and the throttle shared by its workers. Two layers of retry would multiply (4 SDK
 *       attempts x N cleaner attempts against a quota). They are two pipelines, not one, because
 *       the SDK's credentials policy first sends the last access token it got: on a shared pipeline
 *       a re-read ({@code metadata_read}) and a delete ({@code delete}) keep replacing each other's
 *       token, and every call paid a 401 round trip. Measured with 20 ms latency, that was about a
 *       third of the cleaner's throughput.
 * </ul>
 *
 * Each pipeline is built by the SDK's own {@code UtilsImpl.buildClientPipeline} (the one the
 * builder uses), so the challenge/token exchange is the SDK's. We build it ourselves, instead of
 * letting the builder do it, to share it with the generated {@link ContainerRegistriesImpl}: 1.2.6
 * has no public call that lists all tags of a repository. That is an implementation class of a
 * pinned version; the contract tests against the emulator cover it, and a version bump must re-run
 * them.
 */
final class AcrClients {
    final ContainerRegistryAsyncClient readAsync;
    final ContainerRegistryClient read;
    final ContainerRegistriesImpl readImpl;

    /**
     * The read pipeline itself, for the calls the SDK has no method for: the raw manifest listing
     * (whose media types the SDK's models drop) and HEAD of a manifest.
     */
    final HttpPipeline readPipeline;

    final String endpoint;
    final ContainerRegistryClient reread;
    final ContainerRegistryClient write;

    /**
     * Manifest bytes read and pushed back under a tag (restore): the raw calls on the write
     * pipeline.
     */
    final ContainerRegistriesImpl writeImpl;

    private AcrClients(
            HttpPipeline readPipeline,
            HttpPipeline rereadPipeline,
            HttpPipeline writePipeline,
            String endpoint) {
        ContainerRegistryServiceVersion version = ContainerRegistryServiceVersion.getLatest();
        this.readPipeline = readPipeline;
        this.endpoint = endpoint;
        this.readAsync =
                new ContainerRegistryClientBuilder()
                        .endpoint(endpoint)
                        .pipeline(readPipeline)
                        .buildAsyncClient();
        this.read =
                new ContainerRegistryClientBuilder()
                        .endpoint(endpoint)
                        .pipeline(readPipeline)
                        .buildClient();
        this.readImpl =
                new AzureContainerRegistryImpl(readPipeline, endpoint, version.getVersion())
                        .getContainerRegistries();
        this.reread =
                new ContainerRegistryClientBuilder()
                        .endpoint(endpoint)
                        .pipeline(rereadPipeline)
                        .buildClient();
        this.write =
                new ContainerRegistryClientBuilder()
                        .endpoint(endpoint)
                        .pipeline(writePipeline)
                        .buildClient();
        this.writeImpl =
                new AzureContainerRegistryImpl(writePipeline, endpoint, version.getVersion())
                        .getContainerRegistries();
    }

    static AcrClients create(
            String endpoint,
            TokenCredential credential,
            String audience,
            Duration requestTimeout,
            HttpClient httpClient) {
        HttpClient client = httpClient != null ? httpClient : defaultHttpClient(requestTimeout);
        RetryOptions listingRetries =
                new RetryOptions(
                                new ExponentialBackoffOptions()
                                        .setMaxRetries(3)
                                        .setBaseDelay(Duration.ofMillis(800))
                                        .setMaxDelay(Duration.ofSeconds(8)))
                        .setShouldRetryCondition(AcrClients::worthRetrying);
        RetryOptions noRetries = new RetryOptions(new FixedDelayOptions(0, Duration.ZERO));
        ContainerRegistryAudience aud =
                audience == null ? null : ContainerRegistryAudience.fromString(audience);
        return new AcrClients(
                pipeline(endpoint, credential, aud, listingRetries, client),
                pipeline(endpoint, credential, aud, noRetries, client),
                pipeline(endpoint, credential, aud, noRetries, client),
                endpoint);
    }

    /**
     * Only what may pass: 408, 429 and 5xx answers, and calls that got no answer. Azure-core would
     * also retry an exception raised inside the pipeline, such as the token exchange refusing our
     * credential; with the SDK's 30-second wait between token attempts, a wrong credential then
     * took 90 s to fail instead of failing at once.
     */
    private static boolean worthRetrying(RequestRetryCondition c) {
        if (c.getResponse() != null) {
            int s = c.getResponse().getStatusCode();
            return s == 408 || s == 429 || (s >= 500 && s != 501 && s != 505);
        }
        for (Throwable t = c.getThrowable();
                t != null;
                t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpResponseException) {
                return false;
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The JDK HttpClient with the platform's trust store; every call bounded by the request
     * timeout.
     */
    static HttpClient defaultHttpClient(Duration requestTimeout) {
        return httpClient(java.net.http.HttpClient.newBuilder(), requestTimeout);
    }

    /** For a caller that brings its own TLS settings (an emulator's test CA). */
    static HttpClient httpClient(
            java.net.http.HttpClient.Builder builder, Duration requestTimeout) {
        return new JdkHttpClientBuilder(builder.connectTimeout(requestTimeout))
                .connectionTimeout(requestTimeout)
                .responseTimeout(requestTimeout)
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .build();
    }

    private static HttpPipeline pipeline(
            String endpoint,
            TokenCredential credential,
            ContainerRegistryAudience audience,
            RetryOptions retries,
            HttpClient client) {
        ClientOptions options = new ClientOptions();
        return UtilsImpl.buildClientPipeline(
                options,
                new HttpLogOptions(),
                Configuration.getGlobalConfiguration(),
                null,
                retries,
                credential,
                audience,
                List.of(),
                List.of(new StatusRecorder()),
                client,
                endpoint,
                ContainerRegistryServiceVersion.getLatest(),
                UtilsImpl.createTracer(options));
    }
}
