package io.acrretention.registry.acr;

import com.azure.containers.containerregistry.ContainerRegistryAsyncClient;
import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.ContainerRegistryServiceVersion;
import com.azure.containers.containerregistry.implementation.AzureContainerRegistryImpl;
import com.azure.containers.containerregistry.implementation.ContainerRegistriesImpl;
import com.azure.containers.containerregistry.implementation.UtilsImpl;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.CookiePolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.HttpPolicyProviders;
import com.azure.core.http.policy.RedirectPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Configuration;
import com.azure.core.util.CoreUtils;
import com.azure.core.util.builder.ClientBuilderUtil;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The SDK clients of one registry, on two pipelines that differ only in retries:
 *
 * <ul>
 *   <li>{@code read}: listings, retried by the SDK (3 retries, exponential back-off, honouring
 *       Retry-After), because nothing above a listing retries it;
 *   <li>{@code write}: the re-reads just before a write, and the writes, never retried by the SDK:
 *       the cleaner owns those retries, since it knows the delete budget, the deadline and the
 *       throttle shared by its workers. Two layers of retry would multiply (4 SDK attempts x N
 *       cleaner attempts against a quota).
 * </ul>
 *
 * Both pipelines have the policies of the SDK's own {@code UtilsImpl.buildClientPipeline}, except
 * that {@link AcrAuthPolicy} with the registry's one {@link AcrTokens} stands where the SDK puts
 * its {@code ContainerRegistryCredentialsPolicy}: that policy keeps one token per pipeline and
 * fetches a refresh token per pipeline, so every repository (and, before, every pipeline of a
 * repository) paid a challenge and two token requests. We build the pipelines ourselves, instead of
 * letting the builder do it, also to share them with the generated {@link ContainerRegistriesImpl}:
 * 1.2.6 has no public call that lists all tags of a repository. That and {@code
 * AuthenticationsImpl} are implementation classes of a pinned version; the contract tests against
 * the emulator cover them, and a version bump must re-run them.
 */
final class AcrClients {
    /**
     * The Entra audience the SDK 1.2.x asks for when none is configured ({@code
     * UtilsImpl.ACR_ACCESS_TOKEN_AUDIENCE}).
     */
    private static final String ACR_AUDIENCE = "https://containerregistry.azure.net";

    /** The SDK's name and version, for the User-Agent it would send itself. */
    private static final Map<String, String> SDK =
            CoreUtils.getProperties("azure-containers-containerregistry.properties");

    final ContainerRegistryAsyncClient readAsync;
    final ContainerRegistryClient read;
    final ContainerRegistriesImpl readImpl;

    /**
     * The read pipeline itself, for the calls the SDK has no method for: the raw manifest listing
     * (whose media types the SDK's models drop) and HEAD of a manifest.
     */
    final HttpPipeline readPipeline;

    final String endpoint;

    /** Re-reads before a write, and the writes. */
    final ContainerRegistryClient write;

    /**
     * Manifest bytes read and pushed back under a tag (restore): the raw calls on the write
     * pipeline.
     */
    final ContainerRegistriesImpl writeImpl;

    private AcrClients(HttpPipeline readPipeline, HttpPipeline writePipeline, String endpoint) {
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
        String aad = (audience == null ? ACR_AUDIENCE : audience).replaceAll("/+$", "");
        AcrTokens tokens =
                new AcrTokens(
                        new AzureContainerRegistryImpl(
                                        pipeline(listingRetries, null, client),
                                        endpoint,
                                        ContainerRegistryServiceVersion.getLatest().getVersion())
                                .getAuthentications(),
                        credential,
                        aad,
                        Clock.systemUTC());
        AcrAuthPolicy auth = new AcrAuthPolicy(tokens);
        return new AcrClients(
                pipeline(listingRetries, auth, client),
                pipeline(noRetries, auth, client),
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

    /**
     * The SDK's pipeline ({@code UtilsImpl.buildClientPipeline} in 1.2.6: user agent, request id,
     * retry, cookies, date, credentials, redirects, logging), with our authentication; without it
     * (null) for the token requests themselves.
     */
    private static HttpPipeline pipeline(
            RetryOptions retries, AcrAuthPolicy auth, HttpClient client) {
        ClientOptions options = new ClientOptions();
        HttpLogOptions logOptions = new HttpLogOptions();
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        policies.add(
                new UserAgentPolicy(
                        CoreUtils.getApplicationId(options, logOptions),
                        SDK.getOrDefault("name", "azure-containers-containerregistry"),
                        SDK.getOrDefault("version", "1.2.6"),
                        Configuration.getGlobalConfiguration()));
        policies.add(new RequestIdPolicy());
        HttpPolicyProviders.addBeforeRetryPolicies(policies);
        policies.add(ClientBuilderUtil.validateAndGetRetryPolicy(null, retries));
        policies.add(new CookiePolicy());
        policies.add(new AddDatePolicy());
        HttpPolicyProviders.addAfterRetryPolicies(policies);
        if (auth != null) {
            policies.add(auth);
            policies.add(new RedirectPolicy());
            policies.add(new StatusRecorder());
        }
        policies.add(new HttpLoggingPolicy(logOptions));
        return new HttpPipelineBuilder()
                .policies(policies.toArray(new HttpPipelinePolicy[0]))
                .httpClient(client)
                .clientOptions(options)
                .tracer(UtilsImpl.createTracer(options))
                .build();
    }
}
